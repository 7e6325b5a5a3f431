package io.slipway.cli.api;

import io.slipway.cli.api.generated.TenantServiceClient;
import io.slipway.cli.api.generated.TenantServiceClient.AppView;
import io.slipway.cli.api.generated.TenantServiceClient.CreateApp;
import io.slipway.cli.api.generated.TenantServiceClient.CreateProject;
import io.slipway.cli.api.generated.TenantServiceClient.CreateTenant;
import io.slipway.cli.api.generated.TenantServiceClient.CreateToken;
import io.slipway.cli.api.generated.TenantServiceClient.CreatedToken;
import io.slipway.cli.api.generated.TenantServiceClient.ProjectView;
import io.slipway.cli.api.generated.TenantServiceClient.QuotaView;
import io.slipway.cli.api.generated.TenantServiceClient.TenantUsage;
import io.slipway.cli.api.generated.TenantServiceClient.TenantView;
import io.slipway.cli.api.generated.TenantServiceClient.TokenView;
import java.util.List;

/**
 * tenant-service as the commands use it: tenants, projects, apps, quota and usage, personal access
 * tokens. Every call and shape is {@link TenantServiceClient}'s, generated from the service's
 * OpenAPI document; this adds only what the commands share (whole lists, not pages).
 */
public final class TenantApi {

  /** Lists are short: one large page holds them. */
  private static final int PAGE = 200;

  private final TenantServiceClient client;

  public TenantApi(Http http) {
    this.client = new TenantServiceClient(http);
  }

  public List<TenantView> tenants() {
    return client.tenants(null, PAGE).items();
  }

  public TenantView createTenant(String name, String displayName) {
    return client.createTenant(CreateTenant.empty().withName(name).withDisplayName(displayName));
  }

  public void deleteTenant(String tenant) {
    client.deleteTenant(tenant);
  }

  public List<ProjectView> projects(String tenant) {
    return client.projects(tenant, null, PAGE).items();
  }

  public ProjectView createProject(String tenant, String name, String displayName) {
    return client.createProject(
        tenant, CreateProject.empty().withName(name).withDisplayName(displayName));
  }

  public void deleteProject(String tenant, String project) {
    client.deleteProject(tenant, project);
  }

  public List<AppView> apps(String tenant, String project) {
    return client.apps(tenant, project, null, PAGE).items();
  }

  public AppView app(String tenant, String project, String app) {
    return client.app(tenant, project, app);
  }

  public AppView createApp(String tenant, String project, String name, String source, String ref) {
    return client.createApp(
        tenant, project, CreateApp.empty().withName(name).withSource(source).withSourceRef(ref));
  }

  public void deleteApp(String tenant, String project, String app) {
    client.deleteApp(tenant, project, app);
  }

  public QuotaView quota(String tenant) {
    return client.quota(tenant);
  }

  /** The tenant's usage, with the first page of its projects'. */
  public TenantUsage usage(String tenant) {
    return client.usage(tenant, null, null);
  }

  public List<TokenView> tokens() {
    return client.tokens(null, PAGE).items();
  }

  public CreatedToken createToken(String name, List<String> scopes, Integer expiresInDays) {
    return client.createToken(
        CreateToken.empty().withName(name).withScopes(scopes).withExpiresInDays(expiresInDays));
  }

  public void revokeToken(long id) {
    client.revokeToken(id);
  }
}
