package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.CronEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * An app's cron entries ({@link CronScheduler}) with their next due time and last firings. Anyone
 * who may see the app (a viewer too) reads them; anyone else gets 404, as for the app.
 */
@RestController
class CronController {

  /** How many of an entry's firings are listed. */
  static final int LAST_FIRINGS = 5;

  private final AppAccess access;
  private final DeploymentStore store;
  private final CronTable table;
  private final CronStore cron;

  CronController(AppAccess access, DeploymentStore store, CronTable table, CronStore cron) {
    this.access = access;
    this.store = store;
    this.table = table;
    this.cron = cron;
  }

  /**
   * The entries of the live revision's image.
   *
   * @param revision the live revision whose image declares them; null when none is live
   * @param stopped whether the app is stopped (nothing comes due then)
   * @param timeZone the zone schedules are read in: always {@code UTC}
   */
  record CronList(
      String tenant,
      String project,
      String app,
      Integer revision,
      boolean stopped,
      String timeZone,
      List<Entry> entries) {}

  /**
   * One entry.
   *
   * @param id its stable name (from its schedule and command)
   * @param nextRunAt when it comes due next; null while the app is stopped
   * @param lastRuns its last firings, newest first
   */
  record Entry(
      String id,
      String schedule,
      String command,
      Instant nextRunAt,
      List<CronStore.Firing> lastRuns) {}

  @GetMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/cron")
  CronList list(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, false);
    Optional<RevisionRecord> live = store.live(ref);
    boolean stopped = store.stopped(ref);
    Instant now = Instant.now();
    List<Entry> entries =
        live.map(revision -> table.of(revision.spec())).orElse(List.of()).stream()
            .map(entry -> entry(ref, entry, stopped, now))
            .toList();
    return new CronList(
        ref.tenant(),
        ref.project(),
        ref.app(),
        live.map(revision -> revision.spec().revision()).orElse(null),
        stopped,
        "UTC",
        entries);
  }

  private Entry entry(AppRef ref, CronEntry entry, boolean stopped, Instant now) {
    return new Entry(
        entry.id(),
        entry.schedule().text(),
        entry.command(),
        stopped ? null : entry.schedule().next(now).orElse(null),
        cron.last(ref.appId(), entry.id(), LAST_FIRINGS));
  }
}
