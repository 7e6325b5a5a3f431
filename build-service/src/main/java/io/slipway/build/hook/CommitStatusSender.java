package io.slipway.build.hook;

import io.slipway.build.queue.AppRef;
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
import org.springframework.stereotype.Component;

/**
 * Posts the commit statuses {@link CommitStatusOutbox} owes: claims the due rows ({@code for update
 * skip locked}, so instances share the table), reads the app's setting again (deleted: nothing is
 * posted), checks the API URL's address again and posts to exactly it ({@link ForgeConnection}).
 * 2xx is delivered; 408, 429, 5xx and no answer are retried with a doubling backoff up to {@code
 * max-attempts}; anything else is final. A final outcome is the app's last delivery, and a final
 * failure is logged once at WARN.
 */
@Component
class CommitStatusSender {

  private static final Logger log = LoggerFactory.getLogger(CommitStatusSender.class);
  private static final int BATCH = 20;
  // another instance leaves a claimed row alone this long: longer than one send may take
  private static final Duration CLAIM_LEASE = ForgeConnection.TOTAL.multipliedBy(6);

  private final JdbcClient jdbc;
  private final CommitStatusProperties properties;
  private final CommitStatusSettings settings;
  private final ForgeTokens tokens;
  private final ForgeUrl urls;

  CommitStatusSender(
      JdbcClient jdbc,
      CommitStatusProperties properties,
      CommitStatusSettings settings,
      ForgeTokens tokens,
      ForgeUrl urls) {
    this.jdbc = jdbc;
    this.properties = properties;
    this.settings = settings;
    this.tokens = tokens;
    this.urls = urls;
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
            .query(CommitStatusSender::row)
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
