package io.slipway.tenant.catalog;

import io.slipway.kit.validation.PreviewTtls;
import io.slipway.tenant.access.Actor;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes previews idle past their project's TTL (issue 25): a preview whose {@code updatedAt} (its
 * last push or {@code PUT} that changed it) is older than the TTL goes exactly as {@code DELETE
 * .../previews/{preview}} removes it, with the same {@code app.deleted} event, audited as {@code
 * preview.expired} by {@link #ACTOR} with the TTL.
 *
 * <p>Safe with several replicas: a pass claims its previews with {@code FOR UPDATE SKIP LOCKED},
 * together with their parents' rows, so two replicas never take the same preview, and a preview
 * whose app a {@code PUT} or a deletion holds is left for the next pass (the {@code PUT} may be the
 * push that keeps it). A pass takes at most {@link #BATCH}, oldest first, in one transaction.
 */
@Component
@EnableScheduling
class PreviewReaper implements SchedulingConfigurer {

  /** The audit's actor; no user has this name (user names hold no {@code :}). */
  static final Actor ACTOR = Actor.user("system:preview-reaper");

  /** Bounds a pass's transaction; a backlog takes further passes. */
  static final int BATCH = 50;

  private final JdbcClient jdbc;
  private final AppRepository apps;
  private final ProjectRepository projects;
  private final TenantRepository tenants;
  private final PreviewService previews;
  private final PreviewSettings settings;
  private final PreviewProperties properties;
  private final TransactionTemplate transaction;

  PreviewReaper(
      JdbcClient jdbc,
      AppRepository apps,
      ProjectRepository projects,
      TenantRepository tenants,
      PreviewService previews,
      PreviewSettings settings,
      PreviewProperties properties,
      TransactionTemplate transaction) {
    this.jdbc = jdbc;
    this.apps = apps;
    this.projects = projects;
    this.tenants = tenants;
    this.previews = previews;
    this.settings = settings;
    this.properties = properties;
    this.transaction = transaction;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    registrar.addFixedDelayTask(() -> reap(Instant.now()), properties.previewReaperInterval());
  }

  /** Why the reaper deleted a preview, recorded in the audit. */
  record Expired(String reason, String previewTtl, Instant idleSince) {}

  /**
   * Deletes up to {@link #BATCH} previews idle past their project's TTL as of {@code now}.
   *
   * @return their app ids, oldest first
   */
  List<String> reap(Instant now) {
    return transaction.execute(
        status ->
            claim(now).stream()
                .map(id -> apps.findById(id).orElseThrow())
                .map(this::expire)
                .toList());
  }

  private List<Long> claim(Instant now) {
    return jdbc.sql(
            """
            select preview.id from app preview
                join project p on p.id = preview.project_id
                join app parent on parent.id = preview.parent_id
            where preview.parent_id is not null
                and preview.updated_at
                    < cast(:now as timestamptz) - make_interval(secs => coalesce(p.preview_ttl_seconds, :ttl))
            order by preview.updated_at, preview.id
            limit :batch
            for update of preview, parent skip locked
            """)
        .param("now", Timestamp.from(now))
        .param("ttl", properties.previewTtl().toSeconds())
        .param("batch", BATCH)
        .query(Long.class)
        .list();
  }

  private String expire(App preview) {
    Project project = projects.findById(preview.getProjectId()).orElseThrow();
    Tenant owner = tenants.findById(project.getTenantId()).orElseThrow();
    Expired why =
        new Expired(
            "idle past the project's preview TTL",
            PreviewTtls.format(settings.ttl(project)),
            preview.getUpdatedAt());
    previews.remove(ACTOR, owner, project, preview, "preview.expired", why);
    return preview.getPublicId();
  }
}
