package io.slipway.build.queue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The deploy outbox in the {@code build} table: a succeeded build owes runtime-bridge a deploy
 * request ({@link BuildQueue#finish} sets it) until runtime-bridge has answered, and owes nothing
 * once a newer build of its app has succeeded (it is superseded: only the latest build of an app is
 * worth deploying).
 */
@Component
public class OwedDeploys {

  /** Where a build stands with its deploy request. */
  public enum State {
    /** Still to be sent, or to be sent again. */
    OWED,
    /** A newer build of the app has succeeded: this one is never to be deployed. */
    SUPERSEDED,
    /** Nothing is owed: runtime-bridge answered, or the build did not succeed. */
    SETTLED
  }

  // a newer build of the same app has succeeded
  private static final String NEWER_SUCCEEDED =
      """
      exists (select 1 from build n
               where n.tenant = b.tenant and n.project = b.project and n.app = b.app
                 and n.number > b.number and n.status = 'succeeded')
      """;

  private final JdbcClient jdbc;

  OwedDeploys(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Where the build stands; {@code SETTLED} for an unknown build. */
  public State state(UUID id) {
    return jdbc.sql(
            "select case when "
                + NEWER_SUCCEEDED
                + " then 'SUPERSEDED' when b.deploy_pending then 'OWED' else 'SETTLED' end"
                + " from build b where b.id = :id")
        .param("id", id)
        .query(String.class)
        .optional()
        .map(State::valueOf)
        .orElse(State.SETTLED);
  }

  /**
   * The build owes no deploy request any more: runtime-bridge answered, or it is superseded. What
   * came of it is kept for the build's views.
   *
   * @param status {@code live}, {@code failed}, {@code refused}, {@code requested}, {@code
   *     superseded} or {@code skipped}
   * @param revision the app's revision made for the build, or null
   * @param url where the app answers once live, or null
   * @param reason why it failed, was refused or skipped, or null
   */
  public void settle(UUID id, String status, Integer revision, String url, String reason) {
    jdbc.sql(
            """
            update build set deploy_pending = false, deploy_status = :status,
                   deploy_revision = :revision, deploy_url = :url, deploy_reason = :reason,
                   deployed_at = now()
             where id = :id
            """)
        .param("id", id)
        .param("status", status)
        .param("revision", revision)
        .param("url", url)
        .param("reason", reason)
        .update();
  }

  /**
   * Claims at most {@code limit} owed deploy requests to send again, oldest first, leaving out
   * {@code inFlight} (requests this instance is sending now). First every superseded build is
   * settled, so what is returned is the latest succeeded build of each app, at most one per app. A
   * claimed build is not claimed again, by any instance, for {@code lease}: {@code skip locked} and
   * the lease keep several instances from sending the same request at once. That is an economy, not
   * a guarantee (a request slower than the lease is sent again while in flight): delivery is at
   * least once, and runtime-bridge answers a repeated build id with its first deployment.
   */
  public List<Build> claim(Collection<UUID> inFlight, Duration lease, int limit) {
    String[] skipped = inFlight.stream().map(UUID::toString).toArray(String[]::new);
    // a build superseded between these two statements is caught by state() before it is sent
    jdbc.sql(
            "update build b set deploy_pending = false, deploy_status = 'superseded',"
                + " deployed_at = now() where b.deploy_pending and "
                + NEWER_SUCCEEDED)
        .update();
    return jdbc.sql(
            """
                  update build set deploy_not_before = now() + make_interval(secs => :lease)
                   where id in (select id from build
                                 where deploy_pending
                                   and (deploy_not_before is null or deploy_not_before <= now())
                                   and id <> all (cast(:skipped as uuid[]))
                                 order by finished_at
                                 limit :limit
                                 for update skip locked)
                  returning\s"""
                + BuildQueue.COLUMNS)
        .param("lease", lease.toMillis() / 1000.0)
        .param("skipped", skipped)
        .param("limit", limit)
        .query(BuildQueue::build)
        .list();
  }
}
