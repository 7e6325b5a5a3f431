package io.slipway.tenant.catalog;

import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface AppRepository extends JpaRepository<App, Long> {
  Optional<App> findByProjectIdAndName(long projectId, String name);

  Page<App> findByProjectId(long projectId, Pageable pageable);

  long countByProjectId(long projectId);

  boolean existsByPublicId(String publicId);

  @Modifying
  @Query("delete from App a where a.projectId = ?1")
  void deleteByProjectId(long projectId);

  @Modifying
  @Query("delete from App a where a.tenantId = ?1")
  void deleteByTenantId(long tenantId);
}
