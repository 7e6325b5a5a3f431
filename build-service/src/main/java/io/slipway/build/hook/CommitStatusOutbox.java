package io.slipway.build.hook;

import io.slipway.build.BuildProperties;
import io.slipway.build.queue.AppRef;
import io.slipway.build.queue.Build;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Commit status, from an outbox table: {@code pending} is written in the transaction that queues a
 * webhook's build, {@code success} or {@code failure} once the build's or its deploy's outcome is
 * in the build's row (looked for each pass, so a crash between the two loses nothing). Each row is
 * posted with bounded retries ({@link CommitStatusProperties}); one that finally fails is recorded
 * as the app's last delivery and logged once. Nothing here blocks or fails a build. Rows are only
 * written for apps whose commit status is set, and the setting is read again at each send: once it
 * is deleted, nothing more is posted.
 */
@Component
class CommitStatusOutbox {

  private static final Logger log = LoggerFactory.getLogger(CommitStatusOutbox.class);
  private static final int MAX_DESCRIPTION = 140;

  private final JdbcClient jdbc;
  private final BuildProperties build;
  private final CommitStatusSender sender;

  CommitStatusOutbox(JdbcClient jdbc, BuildProperties build, CommitStatusSender sender) {
    this.jdbc = jdbc;
    this.build = build;
    this.sender = sender;
  }

  /**
   * In the transaction that queues {@code queued}: its {@code pending} status, when {@code app}
   * (whose webhook it came in by, the repository's app) has commit status set.
   */
  void queued(AppRef app, String appId, String sourceRef, Build queued) {
    jdbc.sql(
            """
            insert into commit_status (build_id, state, tenant, project, app, app_id, source_ref,
                                       commit_id, target_url, description)
            select :b, 'pending', tenant, project, app, app_id, :ref, :c, :url, :d
              from commit_status_setting
             where tenant = :t and project = :p and app = :a and app_id = :id
            on conflict do nothing
            """)
        .param("b", queued.id())
        .param("ref", sourceRef)
        .param("c", queued.commitId())
        .param("url", buildPage(queued.tenant(), queued.project(), queued.app(), queued.number()))
        .param("d", "Build #" + queued.number() + " queued on Slipway")
        .param("t", app.tenant())
        .param("p", app.project())
        .param("a", app.app())
        .param("id", appId)
        .update();
  }

  @Scheduled(
      fixedDelayString = "${slipway.build.commit-status.poll-interval:2s}",
      initialDelayString = "${slipway.build.commit-status.poll-interval:2s}")
  void scheduled() {
    try {
      settle();
      sender.deliver();
      // what was settled a week ago is of no more use (and keeps settle's scan small)
      jdbc.sql("delete from commit_status where done_at < now() - interval '7 days'").update();
    } catch (RuntimeException e) {
      log.warn("Posting commit statuses failed; trying again on the next pass: {}", e.toString());
    }
  }

  /** The final status of each build with a pending one whose build or deploy has ended. */
  void settle() {
    List<Ended> ended =
        jdbc.sql(
                """
                select p.build_id, p.tenant, p.project, p.app, p.app_id, p.source_ref, p.commit_id,
                       b.app as built, b.number, b.status, b.deploy_status, b.deploy_url,
                       b.deploy_reason
                  from commit_status p join build b on b.id = p.build_id
                 where p.state = 'pending'
                   and not exists (select 1 from commit_status f
                                    where f.build_id = p.build_id and f.state <> 'pending')
                   and (b.status in ('failed', 'cancelled')
                        or b.deploy_status in ('live', 'failed', 'refused', 'superseded', 'skipped'))
                 limit 100
                """)
            .query(CommitStatusOutbox::ended)
            .list();
    for (Ended e : ended) {
      String page = buildPage(e.tenant(), e.project(), e.built(), e.number());
      String build = "Build #" + e.number();
      Final outcome =
          switch (e.status().equals("succeeded") ? e.deployStatus() : e.status()) {
            case "live" ->
                new Final(
                    "success", e.deployUrl() == null ? page : e.deployUrl(), build + " is live");
            case "skipped" -> new Final("success", page, build + " built (no runtime to deploy)");
            case "cancelled" -> new Final("failure", page, build + " was cancelled");
            case "failed" ->
                e.status().equals("failed")
                    ? new Final("failure", page, build + " failed: see its log on Slipway")
                    : new Final("failure", page, build + " built, deploy failed: " + e.reason());
            case "refused" ->
                new Final("failure", page, build + " built, deploy refused: " + e.reason());
            default ->
                new Final("failure", page, build + " not deployed: a newer build was deployed");
          };
      jdbc.sql(
              """
              insert into commit_status (build_id, state, tenant, project, app, app_id, source_ref,
                                         commit_id, target_url, description)
              values (:b, :s, :t, :p, :a, :id, :ref, :c, :url, :d)
              on conflict do nothing
              """)
          .param("b", e.buildId())
          .param("s", outcome.state())
          .param("t", e.tenant())
          .param("p", e.project())
          .param("a", e.app())
          .param("id", e.appId())
          .param("ref", e.sourceRef())
          .param("c", e.commitId())
          .param("url", outcome.targetUrl())
          .param("d", shortened(outcome.description()))
          .update();
    }
  }

  private String buildPage(String tenant, String project, String app, int number) {
    return build.portalBaseUrl()
        + "/t/"
        + tenant
        + "/p/"
        + project
        + "/a/"
        + app
        + "/builds/"
        + number;
  }

  private static String shortened(String description) {
    return description.length() <= MAX_DESCRIPTION
        ? description
        : description.substring(0, MAX_DESCRIPTION - 1) + "…";
  }

  private record Final(String state, String targetUrl, String description) {}

  private record Ended(
      UUID buildId,
      String tenant,
      String project,
      String app,
      String appId,
      String sourceRef,
      String commitId,
      String built,
      int number,
      String status,
      String deployStatus,
      String deployUrl,
      String deployReason) {

    String reason() {
      return deployReason == null ? "see the app's events" : deployReason;
    }
  }

  private static Ended ended(ResultSet r, int n) throws SQLException {
    return new Ended(
        r.getObject("build_id", UUID.class),
        r.getString("tenant"),
        r.getString("project"),
        r.getString("app"),
        r.getString("app_id"),
        r.getString("source_ref"),
        r.getString("commit_id"),
        r.getString("built"),
        r.getInt("number"),
        r.getString("status"),
        r.getString("deploy_status"),
        r.getString("deploy_url"),
        r.getString("deploy_reason"));
  }
}
