package io.slipway.runtime.deploy;

import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.rollout.Rollout;
import io.slipway.runtime.router.Parked;
import io.slipway.runtime.tenant.TenantApi;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Applies an app's recorded desired-state changes (scale, stop, start): the reconciler's part, run
 * while holding the app's lease, as accepted revisions are ({@link Deployments#carryOutAccepted}).
 * The API only records a change ({@link AppChangeStore#desire}) and wakes the {@link Reconciler}.
 *
 * <p>Level-based: however many changes were recorded since the last application, the app is brought
 * to what the database says now (its stopped flag, its live revision's counts and reservations),
 * then the newest change is marked applied with how it came out. A bridge that died before or
 * during an application leaves the change unapplied, and the next pass applies it again, which does
 * the same.
 */
@Component
class AppChanges {

  /** The event of an applied scale. */
  static final String SCALED = "Scaled";

  /** The event of an applied stop. */
  static final String STOPPED = "Stopped";

  /** The event of an applied start. */
  static final String STARTED = "Started";

  private static final Logger log = LoggerFactory.getLogger(AppChanges.class);

  private final AppChangeStore changes;
  private final DeploymentStore store;
  private final Rollout rollout;
  private final RuntimeDriver driver;
  private final AppRoutes routes;
  private final EventLog events;
  private final ChangeAudit audit;
  private final TenantApi tenants;
  private final ZeroStore zero;

  AppChanges(
      AppChangeStore changes,
      DeploymentStore store,
      Rollout rollout,
      RuntimeDriver driver,
      AppRoutes routes,
      EventLog events,
      ChangeAudit audit,
      TenantApi tenants,
      ZeroStore zero) {
    this.zero = zero;
    this.changes = changes;
    this.store = store;
    this.rollout = rollout;
    this.driver = driver;
    this.routes = routes;
    this.events = events;
    this.audit = audit;
    this.tenants = tenants;
  }

  /**
   * What a request accepted: a numbered change of the app ({@code change}), a revision the
   * reconciler rolls out ({@code revision}), or neither when there was nothing to do (starting an
   * app that runs).
   */
  record Accepted(Integer change, Integer revision) {

    static final Accepted NOTHING = new Accepted(null, null);

    static Accepted change(int change) {
      return new Accepted(change, null);
    }

    static Accepted revision(int revision) {
      return new Accepted(null, revision);
    }
  }

  /** Whether the app has a change the reconciler has not applied. */
  boolean unapplied(AppRef ref) {
    return changes.unapplied(ref).isPresent();
  }

  /** The apps with a change the reconciler has not applied. */
  List<AppRef> withUnapplied() {
    return changes.withUnapplied();
  }

  /** Applies the app's unapplied changes, if any. Run under the app's lease. */
  void carryOut(AppRef ref) {
    Optional<AppChangeStore.Unapplied> next = changes.unapplied(ref);
    if (next.isEmpty()) {
      return;
    }
    AppChangeStore.Unapplied change = next.get();
    Optional<RevisionRecord> live = store.live(ref);
    String failure = null;
    if (live.isPresent()) {
      // a scale, stop or start decides what runs: an app at zero is so no longer
      zero.awake(ref);
      routes.forget(ref);
      try {
        failure = apply(live.get(), change.acceptance());
      } finally {
        routes.forget(ref);
      }
    }
    changes.applied(ref, change.change(), failure);
  }

  /** Brings the app to its desired state; why that failed, or null. */
  private String apply(RevisionRecord live, Acceptance acceptance) {
    AppRef ref = live.spec().ref();
    if (store.stopped(ref)) {
      stop(live, acceptance);
      return null;
    }
    AppSpec spec = live.spec();
    boolean starting = STARTED.equals(acceptance.event());
    if (starting) {
      routes.announce(ref, Parked.STARTING);
    }
    long began = System.nanoTime();
    Optional<String> failed;
    try {
      failed = rollout.scale(spec);
    } catch (RuntimeException e) {
      log.warn("Applying {} to {} failed in the runtime", acceptance.event(), ref, e);
      failed = Optional.of("the runtime failed: " + e.getMessage());
    }
    if (failed.isEmpty()) {
      String took = starting ? " (" + (System.nanoTime() - began) / 1_000_000 + " ms)" : "";
      events.normal(ref, acceptance.event(), acceptance.message() + took, spec.revision());
      return null;
    }
    String reason = failed.get();
    events.warning(ref, "Unhealthy", reason, spec.revision());
    audit.failed(ref, acceptance.intent(), spec.revision(), reason);
    if (starting) {
      // a start that failed leaves the app stopped, holding nothing, as it was
      driver.remove(ref, spec.revision());
      live.reservationKeys().forEach(key -> tenants.release(ref.tenant(), key));
      store.setKeys(ref, spec.revision(), List.of());
      store.setStopped(ref, true);
      routes.announce(ref, Parked.STOPPED);
    }
    return reason;
  }

  /** A stopped app: no instance runs, the router answers "stopped", it holds no compute. */
  private void stop(RevisionRecord live, Acceptance acceptance) {
    AppRef ref = live.spec().ref();
    driver.removeApp(ref);
    // after the removal, which on Kubernetes takes the app's Ingress with it
    routes.park(ref, Parked.STOPPED);
    live.reservationKeys().forEach(key -> tenants.release(ref.tenant(), key));
    store.setKeys(ref, live.spec().revision(), List.of());
    if (STOPPED.equals(acceptance.event())) {
      events.normal(ref, STOPPED, acceptance.message(), live.spec().revision());
    }
  }
}
