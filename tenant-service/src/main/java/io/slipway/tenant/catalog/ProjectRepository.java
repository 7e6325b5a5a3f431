package io.slipway.tenant.catalog;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ProjectRepository extends JpaRepository<Project, Long> {
  Optional<Project> findByTenantIdAndName(long tenantId, String name);

  Page<Project> findByTenantId(long tenantId, Pageable pageable);

  long countByTenantId(long tenantId);

  boolean existsByPublicId(String publicId);

  @Modifying
  @Query("delete from Project p where p.tenantId = ?1")
  void deleteByTenantId(long tenantId);

  List<Project> findByTenantId(long tenantId);
}
