package io.slipway.cli.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** tenant-service: tenants, projects, apps, quota and usage, personal access tokens. */
public final class TenantApi {

  public record Tenant(String name, String displayName, String role, String createdAt) {}

  public record Project(String tenant, String name, String displayName, String createdAt) {}

  public record App(
      String tenant,
      String project,
      String name,
      String source,
      String sourceRef,
      String createdAt,
      String createdBy) {}

  /** A token as listed; {@code token} (the secret) is only present in the answer to create. */
  public record Token(
      String id,
      String name,
      List<String> scopes,
      String prefix,
      String createdAt,
      String expiresAt,
      String lastUsedAt,
      String status,
      String token) {}

  /** Limits, usage and overages as the service answers them (every resource, by its name). */
  public record Quota(
      Map<String, Object> limits, Map<String, Object> used, Map<String, Object> overages) {}

  /**
   * A tenant's quota and usage, with the first page of its projects' ({@code items}) and what
   * services measured: the parts of its storage usage ({@code git}, {@code images}, {@code
   * build-store}) and its kept activations' count ({@code activations}).
   */
  public record Usage(
      String tenant,
      Map<String, Object> limits,
      Map<String, Object> used,
      Map<String, Object> overages,
      List<Measured> measured,
      Map<String, Object> projects) {}

  /**
   * What a service measured the tenant using under its key: storage in MiB, or (key {@code
   * activations}) its kept activations (null from a tenant-service that does not count them).
   */
  public record Measured(String key, long storageMib, Long activations) {}

  private static final int PAGE = 200;

  private final Http http;

  public TenantApi(Http http) {
    this.http = http;
  }

  public List<Tenant> tenants() {
    return Json.readList(items(Uris.path("/api/v1/tenants")), Tenant.class);
  }

  public Tenant createTenant(String name, String displayName) {
    return Json.read(
        http.post(Uris.path("/api/v1/tenants"), body("name", name, "displayName", displayName)),
        Tenant.class);
  }

  public void deleteTenant(String tenant) {
    http.delete(Uris.path("/api/v1/tenants/{}", tenant));
  }

  public List<Project> projects(String tenant) {
    return Json.readList(items(Uris.path("/api/v1/tenants/{}/projects", tenant)), Project.class);
  }

  public Project createProject(String tenant, String name, String displayName) {
    return Json.read(
        http.post(
            Uris.path("/api/v1/tenants/{}/projects", tenant),
            body("name", name, "displayName", displayName)),
        Project.class);
  }

  public void deleteProject(String tenant, String project) {
    http.delete(Uris.path("/api/v1/tenants/{}/projects/{}", tenant, project));
  }

  public List<App> apps(String tenant, String project) {
    return Json.readList(
        items(Uris.path("/api/v1/tenants/{}/projects/{}/apps", tenant, project)), App.class);
  }

  public App app(String tenant, String project, String app) {
    return Json.read(
        http.get(Uris.path("/api/v1/tenants/{}/projects/{}/apps/{}", tenant, project, app)),
        App.class);
  }

  public App createApp(String tenant, String project, String name, String source, String ref) {
    return Json.read(
        http.post(
            Uris.path("/api/v1/tenants/{}/projects/{}/apps", tenant, project),
            body("name", name, "source", source, "sourceRef", ref)),
        App.class);
  }

  public void deleteApp(String tenant, String project, String app) {
    http.delete(Uris.path("/api/v1/tenants/{}/projects/{}/apps/{}", tenant, project, app));
  }

  public Quota quota(String tenant) {
    return Json.read(http.get(Uris.path("/api/v1/tenants/{}/quota", tenant)), Quota.class);
  }

  public Usage usage(String tenant) {
    return Json.read(http.get(Uris.path("/api/v1/tenants/{}/usage", tenant)), Usage.class);
  }

  public List<Token> tokens() {
    return Json.readList(items(Uris.path("/api/v1/tokens")), Token.class);
  }

  public Token createToken(String name, List<String> scopes, Integer expiresInDays) {
    Map<String, Object> body = body("name", name, "expiresInDays", expiresInDays);
    body.put("scopes", scopes);
    return Json.read(http.post(Uris.path("/api/v1/tokens"), body), Token.class);
  }

  public void revokeToken(String id) {
    http.delete(Uris.path("/api/v1/tokens/{}", id));
  }

  /** Every item of a paged list (the CLI asks for large pages; lists are short). */
  private Object items(String path) {
    return Json.object(http.get(path + Uris.query(Map.of("size", PAGE)))).get("items");
  }

  static Map<String, Object> body(Object... pairs) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        body.put((String) pairs[i], pairs[i + 1]);
      }
    }
    return body;
  }
}
