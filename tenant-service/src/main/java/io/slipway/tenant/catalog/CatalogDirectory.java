package io.slipway.tenant.catalog;

import io.slipway.kit.tenant.Role;
import io.slipway.tenant.access.TenantDirectory;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Answers {@link io.slipway.tenant.access.TenantAccess} from the catalog's tables. */
@Component
class CatalogDirectory implements TenantDirectory {

  private final TenantRepository tenants;
  private final MembershipRepository memberships;

  CatalogDirectory(TenantRepository tenants, MembershipRepository memberships) {
    this.tenants = tenants;
    this.memberships = memberships;
  }

  @Override
  public Optional<Long> tenantId(String tenant) {
    return tenants.findByName(tenant).map(Tenant::getId);
  }

  @Override
  public Optional<Role> roleOf(long tenantId, String username) {
    return memberships.findById(new Membership.Key(tenantId, username)).map(Membership::role);
  }
}
