package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.driver.RetiredImage;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the images of old revisions from filling the runtime's store: every {@code
 * slipway.runtime.retention-interval} each replica removes the images of the revisions {@link
 * RetainedImages} retires (beyond the newest its tenant keeps per app, {@link TenantRetention}: the
 * tenant's choice or {@code slipway.runtime.image-retention}; not live, deploying or pinned, no
 * kept revision of any app running the same image) through the driver, and records {@code
 * image_removed_at} on each revision whose image is gone, which is what refuses a rollback to it.
 *
 * <p>Safe to kill and to run on several replicas at once: an app's images are removed and recorded
 * holding its accept lock ({@link AcceptLocks}, which a rollback and a pin also hold), after its
 * revisions were read again under it; the image goes first and the record after, and removing an
 * image already gone answers removed, so a pass killed in between, or a second replica's pass,
 * records it next time.
 */
@Component
class ImageRetention {

  private static final Logger log = LoggerFactory.getLogger(ImageRetention.class);

  private static final String COLUMNS =
      "a.tenant, a.project, a.app, a.tenant_id, a.project_id, a.app_id, a.host_label,"
          + " r.revision, r.status, r.revision = a.live_revision as live, r.pinned,"
          + " r.image_removed_at is not null as image_removed, r.image, r.digest";
  private static final String FROM =
      " from revision r join app a using (tenant, project, app)"
          + " where a.app_id is not null and a.tenant_id is not null and a.host_label is not null";

  private final JdbcClient jdbc;
  private final RuntimeDriver driver;
  private final AcceptLocks locks;
  private final TenantRetention retention;
  private final String buildPrefix;

  ImageRetention(
      JdbcClient jdbc,
      RuntimeDriver driver,
      AcceptLocks locks,
      TenantRetention retention,
      @Value("${slipway.runtime.admission.build-image-prefix:localhost}") String buildPrefix) {
    this.jdbc = jdbc;
    this.driver = driver;
    this.locks = locks;
    this.retention = retention;
    this.buildPrefix = buildPrefix.endsWith("/") ? buildPrefix : buildPrefix + "/";
  }

  @Scheduled(
      fixedDelayString = "${slipway.runtime.retention-interval:1h}",
      initialDelayString = "${slipway.runtime.retention-interval:1h}")
  void scheduledSweep() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("Removing old revisions' images failed; the next sweep tries again", e);
    }
  }

  /**
   * Removes the images of the revisions retired when each app keeps as many of its newest as its
   * tenant says; what went and what stayed.
   */
  Swept sweep() {
    List<Row> all = jdbc.sql("select " + COLUMNS + FROM).query(ImageRetention::row).list();
    Map<String, AppRef> apps = new HashMap<>();
    all.forEach(r -> apps.putIfAbsent(r.revision().appId(), r.app()));
    Map<String, Integer> chosen = retention.chosen();
    int fallback = retention.defaultRevisions();
    ToIntFunction<String> keep = appId -> chosen.getOrDefault(apps.get(appId).tenantId(), fallback);
    Map<String, List<RetainedImages.Revision>> retired =
        RetainedImages.retired(all.stream().map(Row::revision).toList(), keep).stream()
            .collect(Collectors.groupingBy(RetainedImages.Revision::appId));
    int removed = 0;
    int stayed = 0;
    for (Map.Entry<String, List<RetainedImages.Revision>> app : retired.entrySet()) {
      String appId = app.getKey();
      List<RetainedImages.Revision> others =
          all.stream().map(Row::revision).filter(r -> !r.appId().equals(appId)).toList();
      Swept swept =
          locks.holding(appId, () -> removeOf(apps.get(appId), others, keep, app.getValue()));
      removed += swept.removed();
      stayed += swept.stayed();
    }
    if (removed > 0) {
      log.info("Removed the images of {} old revisions ({} stay for now)", removed, stayed);
    }
    return new Swept(removed, stayed);
  }

  /**
   * Under the app's accept lock: reads the app's revisions again (a rollback or a pin may have come
   * since), and removes the images of those still retired among {@code candidates}.
   */
  private Swept removeOf(
      AppRef ref,
      List<RetainedImages.Revision> others,
      ToIntFunction<String> keep,
      List<RetainedImages.Revision> candidates) {
    List<RetainedImages.Revision> now =
        new ArrayList<>(
            jdbc
                .sql("select " + COLUMNS + FROM + " and a.app_id = ?")
                .param(ref.appId())
                .query(ImageRetention::row)
                .list()
                .stream()
                .map(Row::revision)
                .toList());
    now.addAll(others);
    List<RetainedImages.Revision> still = RetainedImages.retired(now, keep);
    int removed = 0;
    int stayed = 0;
    for (RetainedImages.Revision candidate : candidates) {
      boolean retired =
          still.stream()
              .anyMatch(
                  r -> r.appId().equals(candidate.appId()) && r.revision() == candidate.revision());
      if (!retired) {
        continue;
      }
      RetiredImage image =
          new RetiredImage(ref, candidate.reference(), buildPrefix + ref.tenantId() + "/");
      if (driver.removeImage(image) == RetiredImage.Removal.REMOVED) {
        jdbc.sql(
                "update revision r set image_removed_at = now() from app a"
                    + " where a.tenant = r.tenant and a.project = r.project and a.app = r.app"
                    + " and a.app_id = ? and r.revision = ? and r.image_removed_at is null")
            .params(ref.appId(), candidate.revision())
            .update();
        removed++;
      } else {
        stayed++;
      }
    }
    return new Swept(removed, stayed);
  }

  /** The refusal of a rollback to, or a pin of, a revision of the app whose image went. */
  Problem removedImage(AppRef ref, int revision) {
    return Problem.conflict(
        "image-removed",
        "revision "
            + revision
            + "'s image was removed by retention (only the newest "
            + retention.revisions(ref.tenantId())
            + " revisions' images are kept); deploy a new build or roll back to a revision still"
            + " listed");
  }

  /** What one sweep did: images removed, and images retired that stay for now. */
  record Swept(int removed, int stayed) {}

  private record Row(AppRef app, RetainedImages.Revision revision) {}

  private static Row row(ResultSet rs, int n) throws SQLException {
    AppRef ref = DeploymentStore.ref(rs);
    return new Row(
        ref,
        new RetainedImages.Revision(
            ref.appId(),
            rs.getInt("revision"),
            rs.getString("status"),
            rs.getBoolean("live"),
            rs.getBoolean("pinned"),
            rs.getBoolean("image_removed"),
            rs.getString("image"),
            rs.getString("digest")));
  }
}
