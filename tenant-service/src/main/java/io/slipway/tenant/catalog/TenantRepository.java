package io.slipway.tenant.catalog;

import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface TenantRepository extends JpaRepository<Tenant, Long> {
  Optional<Tenant> findByName(String name);

  boolean existsByName(String name);

  boolean existsByPublicId(String publicId);

  @Query(
      value =
          "select t from Tenant t where t.id in"
              + " (select m.key.tenantId from Membership m where m.key.username = ?1)",
      countQuery = "select count(m) from Membership m where m.key.username = ?1")
  Page<Tenant> findByMember(String username, Pageable pageable);

  Page<Tenant> findByNameContainingOrDisplayNameContainingIgnoreCase(
      String name, String displayName, Pageable pageable);
}
