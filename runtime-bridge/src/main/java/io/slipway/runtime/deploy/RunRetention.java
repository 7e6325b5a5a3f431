package io.slipway.runtime.deploy;

import io.slipway.runtime.RuntimeProperties;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the record of runs from growing without end: an every-minute cron entry adds 1,440 firings
 * and runs a day. Every {@code slipway.runtime.retention-interval} each replica forgets
 *
 * <ul>
 *   <li>cron firings older than {@code slipway.runtime.run-retention}, except the newest {@link
 *       #FIRINGS_KEPT} of each entry (what the cron list shows, so a weekly entry keeps its
 *       history);
 *   <li>finished runs that ended before then and no kept firing names;
 *   <li>every firing and finished run of an app that no longer exists.
 * </ul>
 *
 * A run still going is never forgotten: its row holds the reservation the reconciler releases. Each
 * sweep is two idempotent statements, so replicas sweeping at once, or a sweep killed halfway,
 * leave nothing inconsistent.
 */
@Component
class RunRetention {

  private static final Logger log = LoggerFactory.getLogger(RunRetention.class);

  /** The firings kept per cron entry whatever their age: as many as the cron list shows. */
  static final int FIRINGS_KEPT = CronController.LAST_FIRINGS;

  private final JdbcClient jdbc;
  private final Duration retention;
  private final Clock clock;

  @Autowired
  RunRetention(JdbcClient jdbc, RuntimeProperties properties) {
    this(jdbc, properties.runRetention(), Clock.systemUTC());
  }

  RunRetention(JdbcClient jdbc, Duration retention, Clock clock) {
    this.jdbc = jdbc;
    this.retention = retention;
    this.clock = clock;
  }

  @Scheduled(
      fixedDelayString = "${slipway.runtime.retention-interval:1h}",
      initialDelayString = "${slipway.runtime.retention-interval:1h}")
  void scheduledSweep() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("Forgetting old runs failed; the next sweep tries again", e);
    }
  }

  /** Forgets what is past retention; answers how many firings and runs went. */
  Swept sweep() {
    Timestamp before = Timestamp.from(clock.instant().minus(retention));
    int firings =
        jdbc.sql(
                "delete from cron_firing f using ("
                    + "   select app_id, entry_id, due_at, row_number() over ("
                    + "     partition by app_id, entry_id order by due_at desc) as newest"
                    + "   from cron_firing) n"
                    + " where f.app_id = n.app_id and f.entry_id = n.entry_id"
                    + " and f.due_at = n.due_at"
                    + " and (not exists (select 1 from app a where a.app_id = f.app_id)"
                    + "      or (f.due_at < ? and n.newest > ?))")
            .params(before, FIRINGS_KEPT)
            .update();
    int runs =
        jdbc.sql(
                "delete from app_run r where r.finished_at is not null"
                    + " and (not exists (select 1 from app a where a.app_id = r.app_id)"
                    + "      or (r.finished_at < ?"
                    + "          and not exists (select 1 from cron_firing f where f.run_id = r.id)))")
            .param(before)
            .update();
    if (firings + runs > 0) {
      log.info("Forgot {} cron firings and {} runs older than {}", firings, runs, before);
    }
    return new Swept(firings, runs);
  }

  /** What one sweep forgot. */
  record Swept(int firings, int runs) {}
}
