package io.slipway.build.hook;

import io.slipway.build.queue.AppRef;
import io.slipway.build.tenant.TenantClient;
import io.slipway.build.tenant.TenantClient.CatalogApp;
import io.slipway.kit.problem.Problem;
import io.slipway.kit.tenant.Role;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Who may see and change an external-git app's webhook settings (its secret, its commit status): as
 * the builds API, a caller who may not read the tenant gets 404, the same answer as for an app that
 * does not exist; it also takes the developer or tenant-admin role (a viewer gets 403).
 */
@Component
class ExternalGitApps {

  private final TenantClient tenants;

  ExternalGitApps(TenantClient tenants) {
    this.tenants = tenants;
  }

  /**
   * The app once the caller may change it.
   *
   * @param action what needs the role, for the 403: e.g. "Reading or rotating a webhook secret"
   * @param feature what only external-git apps have, for the 422: e.g. "a webhook"
   */
  CatalogApp developerOf(Jwt caller, AppRef app, String action, String feature) {
    if (!tenants.canRead(app.tenant(), caller.getTokenValue())) {
      throw Problem.notFound("No tenant " + app.tenant());
    }
    String username = caller.getClaimAsString("preferred_username");
    Role role = username == null ? null : tenants.roleOf(app.tenant(), username).orElse(null);
    if (role == null || !role.atLeast(Role.DEVELOPER)) {
      throw Problem.forbidden(
          action + " needs the developer or tenant-admin role in " + app.tenant());
    }
    CatalogApp catalog =
        tenants
            .app(app.tenant(), app.project(), app.app())
            .orElseThrow(() -> Problem.notFound("No app " + app));
    if (!catalog.externalGit()) {
      throw notExternalGit(app, catalog, ": only external-git apps have " + feature);
    }
    return catalog;
  }

  /** 422 {@code not-external-git}: the app builds from its source, and {@code why} that matters. */
  static Problem notExternalGit(AppRef app, CatalogApp catalog, String why) {
    return Problem.invalid(
        "not-external-git", "The app " + app + " builds from " + catalog.source() + why);
  }
}
