package io.slipway.tenant.catalog;

import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface AppRepository extends JpaRepository<App, Long> {
  Optional<App> findByProjectIdAndName(long projectId, String name);

  Page<App> findByProjectId(long projectId, Pageable pageable);

  long countByProjectId(long projectId);
}
