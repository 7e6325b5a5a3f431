package io.slipway.build.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.tenant.AppIds;
import io.slipway.testing.GitCli;
import io.slipway.testing.ServiceProcess;
import io.slipway.testing.TestKeycloak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Sets up what a push needs in the real tenant-service: Keycloak users, a tenant with a project and
 * an app, members and their personal access tokens.
 */
public final class Tenancy {

  /** A signed-in user: name, Keycloak access token, and a personal access token for git. */
  public record User(String name, String jwt, String gitToken) {}

  private final String tenantApi;
  public final String tenant;
  public final String project;
  public final String app = "site";
  public final User owner;

  public Tenancy(String tenantApi) {
    this(tenantApi, unique("t"), "web", null);
  }

  /**
   * Tenant {@code tenant} with project {@code project} and app {@code site}, owned by {@code owner}
   * (a new user when null).
   */
  public Tenancy(String tenantApi, String tenant, String project, User owner) {
    this.tenantApi = tenantApi;
    this.tenant = tenant;
    this.project = project;
    this.owner = owner == null ? user("dev") : owner;
    String jwt = this.owner.jwt();
    created(Json.post(jwt, api("/tenants"), Map.of("name", tenant)));
    created(Json.post(jwt, api("/tenants/" + tenant + "/projects"), Map.of("name", project)));
    created(
        Json.post(
            jwt,
            api("/tenants/" + tenant + "/projects/" + project + "/apps"),
            Map.of("name", app)));
  }

  /** A new Keycloak user with a git token, not (yet) a member of anything. */
  public User user(String prefix) {
    String name = unique(prefix);
    String jwt = TestKeycloak.userToken(name, TestKeycloak.createUser(name));
    Json.Response token =
        Json.post(jwt, api("/tokens"), Map.of("name", "git", "scopes", List.of("git")));
    created(token);
    return new User(name, jwt, token.json().path("token").asString());
  }

  /** A new user who is a member of the tenant with {@code role}. */
  public User member(String role) {
    User user = user(role);
    Json.Response put =
        Json.put(
            owner.jwt(),
            api("/tenants/" + tenant + "/members/" + user.name()),
            Map.of("role", role));
    assertThat(put.status()).as(put.body()).isBetween(200, 201);
    return user;
  }

  /**
   * The owner's view of build {@code number} of the app, once it has ended; fails unless it
   * succeeded.
   */
  public JsonNode awaitSucceeded(String buildServiceUrl, int number) {
    JsonNode build = awaitEnded(buildServiceUrl, number);
    assertThat(build.path("status").asString()).as(build.toString()).isEqualTo("succeeded");
    return build;
  }

  /** The owner's view of build {@code number} of the app, once it has ended either way. */
  public JsonNode awaitEnded(String buildServiceUrl, int number) {
    return awaitEnded(buildServiceUrl, number, Duration.ofSeconds(120));
  }

  /** {@link #awaitEnded(String, int)} for a build that may take up to {@code atMost}. */
  public JsonNode awaitEnded(String buildServiceUrl, int number, Duration atMost) {
    return awaitEnded(buildServiceUrl, app, number, atMost);
  }

  /** Build {@code number} of app {@code appName} (a preview's too), once it has ended. */
  public JsonNode awaitEnded(String buildServiceUrl, String appName, int number, Duration atMost) {
    String url = buildsUrl(buildServiceUrl, appName) + "/" + number;
    JsonNode[] build = new JsonNode[1];
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              build[0] = Json.get(owner.jwt(), url).json();
              return build[0].path("status").asString().matches("succeeded|failed");
            });
    return build[0];
  }

  /** The app's ids, as tenant-service issued them. */
  public AppIds ids(String appName) {
    JsonNode found =
        Json.get(
                owner.jwt(),
                api("/tenants/" + tenant + "/projects/" + project + "/apps/" + appName))
            .json();
    return new AppIds(
        found.path("tenantId").asString(),
        found.path("projectId").asString(),
        found.path("id").asString());
  }

  /** The ids of app {@code site}. */
  public AppIds ids() {
    return ids(app);
  }

  /** The name (without tag) of the app's images: {@code <prefix>/<ids>}, never names. */
  public String image(String prefix, String appName) {
    return prefix + "/" + ids(appName).path();
  }

  /**
   * The whole log of build {@code number}, as its owner reads it: the Server-Sent Events of {@code
   * .../logs}, which end with the build.
   */
  public String log(String buildServiceUrl, int number) {
    return log(buildServiceUrl, app, number);
  }

  /** The whole log of build {@code number} of the app {@code appName}, as {@link #log} reads it. */
  public String log(String buildServiceUrl, String appName, int number) {
    URI uri = URI.create(buildsUrl(buildServiceUrl, appName) + "/" + number + "/logs");
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client
          .send(
              HttpRequest.newBuilder(uri)
                  .header("Authorization", "Bearer " + owner.jwt())
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String buildUrl(String buildServiceUrl, int number) {
    return buildsUrl(buildServiceUrl) + "/" + number;
  }

  /** The API's list of the app's builds. */
  public String buildsUrl(String buildServiceUrl) {
    return buildsUrl(buildServiceUrl, app);
  }

  /** The API's list of the builds of app {@code appName} of the project. */
  public String buildsUrl(String buildServiceUrl, String appName) {
    return buildServiceUrl
        + "/api/v1/tenants/"
        + tenant
        + "/projects/"
        + project
        + "/apps/"
        + appName
        + "/builds";
  }

  /** The owner's view of build {@code number} (or of the list, {@code null}), which must be 200. */
  public JsonNode build(String buildServiceUrl, Integer number) {
    Json.Response build =
        Json.get(
            owner.jwt(),
            number == null ? buildsUrl(buildServiceUrl) : buildUrl(buildServiceUrl, number));
    assertThat(build.status()).as(build.body()).isEqualTo(200);
    return build.json();
  }

  /** The tenant's usage against quota, as its owner reads it from tenant-service. */
  public JsonNode usage() {
    Json.Response usage = Json.get(owner.jwt(), api("/tenants/" + tenant + "/usage"));
    assertThat(usage.status()).as(usage.body()).isEqualTo(200);
    return usage.json();
  }

  /** The parts of the tenant's storage that services measured, by key, as its owner reads them. */
  public java.util.Map<String, Long> measuredStorage() {
    java.util.Map<String, Long> parts = new java.util.TreeMap<>();
    usage()
        .path("measured")
        .forEach(m -> parts.put(m.path("key").asString(), m.path("storageMib").asLong()));
    return parts;
  }

  /** Deletes app {@code site}, as its owner does in tenant-service. */
  public void deleteApp() {
    Json.Response deleted =
        Json.send(
            owner.jwt(),
            "DELETE",
            api("/tenants/" + tenant + "/projects/" + project + "/apps/" + app),
            null);
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
  }

  /** Deletes the whole tenant, as its owner does in tenant-service. */
  public void delete() {
    Json.Response deleted = Json.send(owner.jwt(), "DELETE", api("/tenants/" + tenant), null);
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
  }

  /**
   * Pushes {@code repo}'s HEAD to the app's {@code main} with the real git client, as its owner, to
   * the build-service on {@code port}.
   */
  public void push(GitCli git, Path repo, int port) {
    git.ok(
        repo,
        "push",
        "-q",
        "http://git:" + owner.gitToken() + "@127.0.0.1:" + port + repositoryPath(),
        "HEAD:main");
  }

  public String repositoryPath() {
    return "/git/" + tenant + "/" + project + "/" + app + ".git";
  }

  private String api(String path) {
    return tenantApi + "/api/v1" + path;
  }

  private void created(Json.Response response) {
    assertThat(response.status())
        .as(
            () ->
                response.body()
                    + (response.status() >= 500 ? ServiceProcess.recentLog(tenantApi) : ""))
        .isEqualTo(201);
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
