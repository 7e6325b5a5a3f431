package io.slipway.tenant.catalog;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface AppRepository extends JpaRepository<App, Long> {
  Optional<App> findByProjectIdAndName(long projectId, String name);

  /** The project's apps, without their previews. */
  Page<App> findByProjectIdAndParentIsNull(long projectId, Pageable pageable);

  Page<App> findByParent(App parent, Pageable pageable);

  List<App> findByParentOrderById(App parent);

  Optional<App> findByParentAndPreviewName(App parent, String previewName);

  long countByProjectId(long projectId);

  boolean existsByPublicId(String publicId);

  /**
   * The app, its row locked until the transaction ends: creating and deleting previews of one app
   * take turns, so a retried create finds the first one's preview and a deleted parent leaves none.
   */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select a from App a where a.id = ?1")
  Optional<App> lock(long id);

  /**
   * The project's least recently updated preview, its row locked: one that another change holds is
   * waited for, and skipped when that change deleted it.
   */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  Optional<App> findFirstByProjectIdAndParentIsNotNullOrderByUpdatedAtAscIdAsc(long projectId);

  @Modifying
  @Query("delete from App a where a.projectId = ?1")
  void deleteByProjectId(long projectId);

  @Modifying
  @Query("delete from App a where a.tenantId = ?1")
  void deleteByTenantId(long tenantId);
}
