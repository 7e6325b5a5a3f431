package io.slipway.tenant.access;

import io.slipway.kit.problem.Problem;
import io.slipway.kit.tenant.Role;
import org.springframework.stereotype.Component;

/**
 * The one place that decides whether an actor may act on a tenant. A tenant the actor is not a
 * member of does not exist for that actor (404, never its data); a member whose role is too low is
 * told so (403).
 */
@Component
public class TenantAccess {

  private final TenantDirectory directory;

  TenantAccess(TenantDirectory directory) {
    this.directory = directory;
  }

  /**
   * Requires the actor to hold at least {@code minimum} in the tenant (platform admins always do).
   */
  public TenantRef require(Actor actor, String tenant, Role minimum) {
    long id = directory.tenantId(tenant).orElseThrow(() -> Problem.notFound("tenant", tenant));
    if (actor.platformAdmin()) {
      return new TenantRef(id, tenant);
    }
    if (actor.service()) {
      if (minimum == Role.TENANT_ADMIN) {
        throw Problem.forbidden("Services may not manage tenant '" + tenant + "'");
      }
      return new TenantRef(id, tenant);
    }
    Role role =
        directory.roleOf(id, actor.name()).orElseThrow(() -> Problem.notFound("tenant", tenant));
    if (!role.atLeast(minimum)) {
      throw Problem.forbidden(
          "This needs the role "
              + minimum.value()
              + " in tenant '"
              + tenant
              + "'; you are "
              + role.value());
    }
    return new TenantRef(id, tenant);
  }

  /** Requires a platform admin. */
  public void requirePlatformAdmin(Actor actor) {
    if (!actor.platformAdmin()) {
      throw Problem.forbidden("Only platform admins may do this");
    }
  }
}
