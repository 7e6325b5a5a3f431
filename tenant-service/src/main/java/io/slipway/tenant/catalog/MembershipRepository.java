package io.slipway.tenant.catalog;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface MembershipRepository extends JpaRepository<Membership, Membership.Key> {
  Page<Membership> findByKeyTenantId(long tenantId, Pageable pageable);

  long countByKeyTenantIdAndRole(long tenantId, io.slipway.kit.tenant.Role role);
}
