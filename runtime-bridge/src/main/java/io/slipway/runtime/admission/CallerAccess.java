package io.slipway.runtime.admission;

import io.slipway.kit.client.ServiceClients;
import io.slipway.kit.client.TenantService;
import io.slipway.kit.problem.Problem;
import io.slipway.kit.security.RealmRoles;
import io.slipway.kit.tenant.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Who may read and write a tenant's settings (image policies, image retention): platform admins,
 * and a tenant's members by role.
 */
@Component
public class CallerAccess {

  private static final Logger log = LoggerFactory.getLogger(CallerAccess.class);

  static final String PLATFORM_ADMIN = RealmRoles.PLATFORM_ADMIN;

  private final TenantService tenantService;

  CallerAccess(TenantService tenantService) {
    this.tenantService = tenantService;
  }

  static boolean isPlatformAdmin(Jwt caller) {
    return RealmRoles.platformAdmin(caller.getClaims());
  }

  static void requirePlatformAdmin(Jwt caller) {
    if (!isPlatformAdmin(caller)) {
      throw Problem.forbidden("The platform's image policy floor needs the platform-admin role");
    }
  }

  /** A tenant by its id, and the caller's role in it (empty: a platform admin, not a member). */
  public record TenantRole(String tenantId, String role) {}

  /**
   * The tenant and the caller's role in it, asked of tenant-service with the caller's own token:
   * 404 when they may not see it.
   */
  public TenantRole roleIn(String tenant, Jwt caller) {
    try {
      TenantService.Tenant seen =
          tenantService.tenant(tenant, ServiceClients.bearer(caller.getTokenValue()));
      return new TenantRole(seen.id(), seen.role() == null ? "" : seen.role());
    } catch (HttpClientErrorException.NotFound | HttpClientErrorException.Forbidden e) {
      throw Problem.notFound("Tenant", tenant);
    } catch (RestClientResponseException e) {
      throw Problem.unavailable(
          "tenant-service answered " + e.getStatusCode().value() + " reading tenant " + tenant);
    } catch (RestClientException e) {
      log.warn("tenant-service could not be reached reading {}: {}", tenant, e.toString());
      throw Problem.unavailable("tenant-service could not be reached; retry shortly");
    }
  }

  /**
   * As {@link #roleIn}, for a change that needs the tenant-admin role (or a platform admin): 403
   * naming {@code what} otherwise.
   */
  public TenantRole requireTenantAdmin(String tenant, Jwt caller, String what) {
    TenantRole seen = roleIn(tenant, caller);
    boolean admin = seen.role().isEmpty() && isPlatformAdmin(caller);
    if (!admin && Role.parse(seen.role()).filter(r -> r.atLeast(Role.TENANT_ADMIN)).isEmpty()) {
      throw Problem.forbidden(what + " needs the tenant-admin role");
    }
    return seen;
  }
}
