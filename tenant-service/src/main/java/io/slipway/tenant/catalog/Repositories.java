package io.slipway.tenant.catalog;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface TenantRepository extends JpaRepository<Tenant, Long> {
  Optional<Tenant> findByName(String name);

  boolean existsByName(String name);

  @Query(
      value =
          "select t from Tenant t where t.id in"
              + " (select m.key.tenantId from Membership m where m.key.username = ?1)",
      countQuery = "select count(m) from Membership m where m.key.username = ?1")
  Page<Tenant> findByMember(String username, Pageable pageable);

  Page<Tenant> findByNameContainingOrDisplayNameContainingIgnoreCase(
      String name, String displayName, Pageable pageable);
}

interface ProjectRepository extends JpaRepository<Project, Long> {
  Optional<Project> findByTenantIdAndName(long tenantId, String name);

  Page<Project> findByTenantId(long tenantId, Pageable pageable);

  long countByTenantId(long tenantId);

  List<Project> findByTenantId(long tenantId);
}

interface AppRepository extends JpaRepository<App, Long> {
  Optional<App> findByProjectIdAndName(long projectId, String name);

  Page<App> findByProjectId(long projectId, Pageable pageable);

  long countByProjectId(long projectId);
}

interface MembershipRepository extends JpaRepository<Membership, Membership.Key> {
  Page<Membership> findByKeyTenantId(long tenantId, Pageable pageable);

  long countByKeyTenantIdAndRole(long tenantId, io.slipway.tenant.access.Role role);
}
