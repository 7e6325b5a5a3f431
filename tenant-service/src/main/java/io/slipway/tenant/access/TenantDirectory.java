package io.slipway.tenant.access;

import io.slipway.kit.tenant.Role;
import java.util.Optional;

/**
 * Looks up a tenant and a user's role in it, for {@link TenantAccess} and token verification.
 * Implemented by the catalog; read-only and side-effect free.
 */
public interface TenantDirectory {

  /** The tenant's id if it exists. */
  Optional<Long> tenantId(String tenant);

  /** The user's role in the tenant, if the user is a member. */
  Optional<Role> roleOf(long tenantId, String username);
}
