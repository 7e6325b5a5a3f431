package io.slipway.tenant.catalog;

import io.slipway.kit.problem.Problem;
import io.slipway.kit.tenant.Role;
import io.slipway.tenant.access.Actor;
import io.slipway.tenant.access.TenantAccess;
import io.slipway.tenant.access.TenantRef;
import org.hibernate.exception.ConstraintViolationException;
import org.springframework.dao.DataIntegrityViolationException;

/** What every change to projects, apps and previews checks, and how a lost race is told. */
final class CatalogRules {

  private CatalogRules() {}

  /** The tenant when a user (never a service) holds at least {@code minimum} in it. */
  static TenantRef requireUser(TenantAccess access, Actor actor, String tenant, Role minimum) {
    TenantRef ref = access.require(actor, tenant, minimum);
    if (actor.service()) {
      throw Problem.forbidden("Services may not change the catalog of tenant '" + tenant + "'");
    }
    return ref;
  }

  /** Whether {@code e} is a violation of exactly the named constraint. */
  static boolean violated(DataIntegrityViolationException e, String constraint) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConstraintViolationException violation) {
        return constraint.equals(violation.getConstraintName());
      }
    }
    return false;
  }

  static Problem hostTaken(String host) {
    return Problem.conflict(
            "host-taken",
            "The host '" + host + "' is already reserved by another app; choose another app name")
        .with("host", host);
  }
}
