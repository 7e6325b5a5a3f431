package io.slipway.build.hook;

import io.slipway.build.BuildProperties;
import io.slipway.build.queue.AppRef;
import io.slipway.build.queue.Build;
import java.io.IOException;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
  private static final int BATCH = 20;
  // another instance leaves a claimed row alone this long: longer than one send may take
  private static final Duration CLAIM_LEASE = ForgeConnection.TOTAL.multipliedBy(6);

  private final JdbcClient jdbc;
  private final BuildProperties build;
  private final CommitStatusProperties properties;
  private final CommitStatusSettings settings;
  private final ForgeTokens tokens;
  private final ForgeUrl urls;

  CommitStatusOutbox(
      JdbcClient jdbc,
      BuildProperties build,
      CommitStatusProperties properties,
      CommitStatusSettings settings,
      ForgeTokens tokens,
      ForgeUrl urls) {
    this.jdbc = jdbc;
    this.build = build;
    this.properties = properties;
    this.settings = settings;
    this.tokens = tokens;
    this.urls = urls;
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
      deliver();
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

  /** Posts the statuses that are due; returns how many it tried. */
  int deliver() {
    List<Row> due =
        jdbc.sql(
                """
                update commit_status c set next_attempt_at = now() + make_interval(secs => :lease)
                  from (select build_id, state from commit_status
                         where done_at is null and next_attempt_at <= now()
                         order by created_at limit :n for update skip locked) d
                 where c.build_id = d.build_id and c.state = d.state
                returning c.build_id, c.state, c.tenant, c.project, c.app, c.app_id, c.source_ref,
                          c.commit_id, c.target_url, c.description, c.attempts
                """)
            .param("lease", CLAIM_LEASE.toSeconds())
            .param("n", BATCH)
            .query(CommitStatusOutbox::row)
            .list();
    due.forEach(this::send);
    return due.size();
  }

  private void send(Row row) {
    if (row.state().equals("pending") && superseded(row.buildId())) {
      // the build ended first: a late pending would hide its outcome on the forge
      done(row, "not posted: the build had ended", false);
      return;
    }
    Optional<CommitStatusSettings.Stored> setting = settings.find(row.app(), row.appId());
    if (setting.isEmpty()) {
      done(row, "not posted: commit status was turned off", false);
      return;
    }
    Optional<String> token = tokens.open(setting.get().tokenSealed(), row.appId());
    if (token.isEmpty()) {
      done(row, "the stored token does not open with slipway.build.secret-key: set it again", true);
      return;
    }
    Forge.Request request;
    try {
      request =
          setting
              .get()
              .forge()
              .request(
                  URI.create(setting.get().apiUrl()),
                  row.sourceRef(),
                  token.get(),
                  new Forge.Status(
                      row.commitId(),
                      row.state(),
                      "slipway/" + row.app().app(),
                      row.targetUrl(),
                      row.description()));
    } catch (IllegalArgumentException e) {
      done(row, e.getMessage(), true);
      return;
    }
    ForgeUrl.Resolved resolved = urls.resolve(request.uri());
    if (resolved.address() == null) {
      done(row, "refused: " + resolved.refusal(), true);
      return;
    }
    int code;
    try {
      code = ForgeConnection.post(request, resolved.address());
    } catch (IOException e) {
      retry(
          row,
          "forge not reached: "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      return;
    }
    String answered = "forge answered " + code;
    if (code >= 200 && code < 300) {
      done(row, answered, false);
    } else if (code >= 300 && code < 400) {
      done(row, answered + " (a redirect, not followed: set the API URL it points to)", true);
    } else if (code == 408 || code == 429 || code >= 500) {
      retry(row, answered);
    } else {
      done(row, answered, true);
    }
  }

  private boolean superseded(UUID buildId) {
    return jdbc.sql(
            "select exists (select 1 from commit_status where build_id = :b and state <> 'pending')")
        .param("b", buildId)
        .query(Boolean.class)
        .single();
  }

  private void retry(Row row, String outcome) {
    int attempts = row.attempts() + 1;
    if (attempts >= properties.maxAttempts()) {
      done(row, outcome + " (given up after " + attempts + " attempts)", true);
      return;
    }
    Duration wait = properties.retryBackoff().multipliedBy(1L << Math.min(attempts - 1, 16));
    jdbc.sql(
            """
            update commit_status
               set attempts = :n, outcome = :o,
                   next_attempt_at = now() + make_interval(secs => :wait)
             where build_id = :b and state = :s
            """)
        .param("n", attempts)
        .param("o", outcome)
        .param("wait", wait.toMillis() / 1000.0)
        .param("b", row.buildId())
        .param("s", row.state())
        .update();
  }

  /** Ends a row; a status that was posted or that finally failed is the app's last delivery. */
  private void done(Row row, String outcome, boolean failed) {
    jdbc.sql(
            """
            update commit_status set done_at = now(), outcome = :o, attempts = attempts + 1
             where build_id = :b and state = :s
            """)
        .param("o", outcome)
        .param("b", row.buildId())
        .param("s", row.state())
        .update();
    if (outcome.startsWith("not posted")) {
      return;
    }
    settings.recordDelivery(row.app(), row.appId(), row.state(), outcome);
    if (failed) {
      log.warn(
          "Commit status {} of build {} of {} not posted: {}",
          row.state(),
          row.buildId(),
          row.app(),
          outcome);
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

  private record Row(
      UUID buildId,
      String state,
      AppRef app,
      String appId,
      String sourceRef,
      String commitId,
      String targetUrl,
      String description,
      int attempts) {}

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

  private static Row row(ResultSet r, int n) throws SQLException {
    return new Row(
        r.getObject("build_id", UUID.class),
        r.getString("state"),
        new AppRef(r.getString("tenant"), r.getString("project"), r.getString("app")),
        r.getString("app_id"),
        r.getString("source_ref"),
        r.getString("commit_id"),
        r.getString("target_url"),
        r.getString("description"),
        r.getInt("attempts"));
  }
}
