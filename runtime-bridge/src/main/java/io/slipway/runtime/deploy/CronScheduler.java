package io.slipway.runtime.deploy;

import io.slipway.runtime.RuntimeProperties;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.CronEntry;
import io.slipway.runtime.tenant.AuditEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs apps' {@code app.json} cron entries ({@link CronTable}) as one-off runs of their live
 * revision ({@link OneOffRuns#runRecorded}). Every replica looks every {@code
 * slipway.runtime.cron-interval}; each time an entry came due, the first replica to claim the
 * firing in PostgreSQL ({@link CronStore#claim}: one row per app, entry and due time) runs it, so a
 * firing runs once however many replicas look, and a replica that restarts finds what was claimed
 * where it left it. A firing whose entry's previous run still runs is recorded as skipped, not run.
 *
 * <p>Only the latest due time of an entry is fired, and only within {@link #CATCH_UP} of it: a
 * bridge that was down for a few minutes runs each entry's last missed firing once, late, not every
 * one it missed. A firing before the live revision was made, or before the app was last started, is
 * not made up for: stopped apps (and deleted ones, which have no live revision) fire nothing.
 *
 * <p>A function app's entry invokes its handler through the {@link Invoker} with the cron event
 * instead (its command is not run), recorded as an activation with the trigger {@code cron} whose
 * id the firing names.
 */
@Component
class CronScheduler {

  private static final Logger log = LoggerFactory.getLogger(CronScheduler.class);

  /** How late a firing may still start (a bridge restarting, a slow pass). */
  static final Duration CATCH_UP = Duration.ofMinutes(5);

  /** What a cron run's row says ran it. */
  static final String RUN_BY = "cron";

  private final DeploymentStore store;
  private final CronTable table;
  private final CronStore cron;
  private final RunStore runs;
  private final OneOffRuns oneOff;
  private final AuditEvents audit;
  private final TransactionTemplate tx;
  private final Jwt actor;
  private final Clock clock;
  private final Invoker invoker;

  @Autowired
  CronScheduler(
      DeploymentStore store,
      CronTable table,
      CronStore cron,
      RunStore runs,
      OneOffRuns oneOff,
      AuditEvents audit,
      TransactionTemplate tx,
      RuntimeProperties properties,
      Invoker invoker) {
    this(store, table, cron, runs, oneOff, audit, tx, properties, invoker, Clock.systemUTC());
  }

  /** With its own clock: what the scheduler takes for now when it decides what is due. */
  CronScheduler(
      DeploymentStore store,
      CronTable table,
      CronStore cron,
      RunStore runs,
      OneOffRuns oneOff,
      AuditEvents audit,
      TransactionTemplate tx,
      RuntimeProperties properties,
      Invoker invoker,
      Clock clock) {
    this.invoker = invoker;
    this.store = store;
    this.table = table;
    this.cron = cron;
    this.runs = runs;
    this.oneOff = oneOff;
    this.audit = audit;
    this.tx = tx;
    this.actor = serviceActor(properties.clientId());
    this.clock = clock;
  }

  @Scheduled(
      fixedDelayString = "${slipway.runtime.cron-interval:10s}",
      initialDelayString = "${slipway.runtime.cron-interval:10s}")
  void scheduled() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.warn("Looking for due cron entries failed; trying again: {}", e.getMessage());
    }
  }

  /**
   * Fires every entry of every running app that came due: claims each firing and starts its run in
   * the background. Returns the threads of the runs it started (tests wait on them).
   */
  List<Thread> tick() {
    Instant now = clock.instant();
    List<RevisionRecord> live = store.allLive();
    table.retain(live.stream().map(RevisionRecord::spec).toList());
    List<Thread> started = new ArrayList<>();
    for (RevisionRecord revision : live) {
      try {
        started.addAll(fireDue(revision, now));
      } catch (RuntimeException e) {
        // one app's trouble (its image unreadable, say) keeps no other app's entries from firing
        log.warn("Firing the cron entries of {} failed: {}", revision.spec().ref(), e.getMessage());
      }
    }
    return started;
  }

  /** Fires the revision's entries that came due by {@code now}; the threads of the runs started. */
  private List<Thread> fireDue(RevisionRecord revision, Instant now) {
    AppSpec spec = revision.spec();
    List<CronEntry> entries = table.of(spec);
    if (entries.isEmpty()) {
      return List.of();
    }
    Instant since = now.minus(CATCH_UP);
    if (revision.createdAt().isAfter(since)) {
      since = revision.createdAt();
    }
    Optional<Instant> restarted = cron.lastStarted(spec.ref());
    if (restarted.isPresent() && restarted.get().isAfter(since)) {
      since = restarted.get();
    }
    List<Thread> started = new ArrayList<>();
    for (CronEntry entry : entries) {
      Optional<Instant> due = entry.schedule().latestDue(now, since);
      if (due.isPresent()) {
        fire(spec, entry, due.get()).ifPresent(started::add);
      }
    }
    return started;
  }

  /**
   * Claims the firing and, when it is this replica's and the entry's previous run has ended, writes
   * the run's row and its audit record in the same transaction, then runs it in the background.
   */
  private Optional<Thread> fire(AppSpec spec, CronEntry entry, Instant due) {
    AppRef ref = spec.ref();
    // a function's schedule invokes its handler with the cron event instead of running a command
    boolean function = invoker.function(spec);
    String id = function ? invoker.newActivationId() : OneOffRuns.newId();
    Boolean run =
        tx.execute(
            status -> {
              cron.lockEntry(ref.appId(), entry.id());
              if (!cron.runs(ref, spec.revision())) {
                return false; // stopped, deleted or redeployed since the pass read it
              }
              if (!cron.claim(ref.appId(), entry.id(), due, entry.schedule().text())) {
                return false;
              }
              if (function) {
                // invocations queue for an instance: none is skipped for an earlier one
                cron.ran(ref.appId(), entry.id(), due, id);
                return true;
              }
              Optional<String> previous = runs.running(ref.appId(), entry.id());
              if (previous.isPresent()) {
                cron.skipped(
                    ref.appId(),
                    entry.id(),
                    due,
                    "the run " + previous.get() + " of this entry still ran");
                log.info("Skipped cron entry {} of {} due {}", entry.id(), ref, due);
                return false;
              }
              Instant started = Instant.now();
              runs.started(
                  id,
                  ref.appId(),
                  ref.tenant(),
                  spec.revision(),
                  entry.command(),
                  RUN_BY,
                  started,
                  oneOff.deadline(started),
                  OneOffRuns.reservationKey(ref, id),
                  new RunStore.CronFiring(entry.id(), due));
              cron.ran(ref.appId(), entry.id(), due, id);
              audit.app(actor, ref, "app.run", details(spec, entry, due, id));
              return true;
            });
    if (!Boolean.TRUE.equals(run)) {
      return Optional.empty();
    }
    return Optional.of(
        Thread.ofVirtual()
            .name("cron-" + id)
            .start(
                () -> {
                  try {
                    if (function) {
                      invoker.invokeScheduled(spec, entry.schedule().text(), due, id);
                    } else {
                      oneOff.runRecorded(spec, id, entry.command());
                    }
                  } catch (RuntimeException e) {
                    log.warn("Cron run {} of {} failed: {}", id, ref, e.getMessage());
                  }
                }));
  }

  private static Map<String, Object> details(
      AppSpec spec, CronEntry entry, Instant due, String id) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("command", entry.command());
    details.put("revision", spec.revision());
    details.put("run", id);
    details.put("cron", entry.id());
    details.put("schedule", entry.schedule().text());
    details.put("due", due.toString());
    return details;
  }

  /**
   * The platform itself, as the audit trail names a service ({@code AuditActor}): runtime-bridge's
   * own client. Never sent anywhere: it only names who started a cron run.
   */
  private static Jwt serviceActor(String clientId) {
    return Jwt.withTokenValue("cron")
        .header("alg", "none")
        .subject("service-account-" + clientId)
        .claim("azp", clientId)
        .claim("preferred_username", "service-account-" + clientId)
        .build();
  }
}
