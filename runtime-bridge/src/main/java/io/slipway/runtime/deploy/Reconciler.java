package io.slipway.runtime.deploy;

import io.slipway.runtime.driver.Instance;
import io.slipway.runtime.driver.RevisionState;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.rollout.Rollout;
import io.slipway.runtime.router.Parked;
import io.slipway.runtime.router.Router;
import io.slipway.runtime.tenant.TenantApi;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The level-triggered reconciler: compares what should run (each app's live revision, from the
 * database) with what runs (read from the runtime and the router) and acts on the difference. It
 * keeps no state that matters: a bridge killed at any point converges on its next pass.
 *
 * <ul>
 *   <li>accepted revisions ({@code pending}) are rolled out, oldest first, by the replica holding
 *       the app's lease: the API only records them and {@linkplain #wake wakes} this reconciler, so
 *       the reconciler is the one writer of an app's revisions;
 *   <li>an accepted deletion is carried out first, the same way: the app's instances, route,
 *       reservations and rows removed ({@link AppLifecycle#carryOutDeletion});
 *   <li>recorded scales, stops and starts are applied the same way, after the app's accepted
 *       revisions ({@link AppChanges}): the reconciler is the one code that touches an app's
 *       containers, one-off runs apart;
 *   <li>a rollout that a previous run left unfinished is abandoned: its revision removed, its
 *       reservation released, the revision marked failed;
 *   <li>each live revision runs with its replicas (exited or missing instances are started again)
 *       and nothing else of the app runs;
 *   <li>the route points at the live instances; when every instance was found exited, the app's
 *       hosts answer "crashed" until a later pass finds them running again; an app scaled to zero
 *       ({@link ScaleToZero}) keeps its instances stopped and its hosts on the activator;
 *   <li>every other app that exists, in this bridge's database or in tenant-service's catalog
 *       ({@link TenantApi#apps}), answers the router's 503 page saying why ({@link Router#park}):
 *       stopped, failed (its deploy failed, nothing live) or not deployed yet;
 *   <li>only verified custom domains are routed (through {@link Rollout#hosts}), and the router
 *       answers the challenge of every pending claim;
 *   <li>containers of apps with no live revision (orphans) and routes of apps that exist nowhere
 *       are removed; a stopped app's containers are removed and what it still holds in
 *       tenant-service is released;
 *   <li>a developer's one-off run that its bridge did not see to the end is closed once overdue,
 *       its reservation released (its container, overdue too, goes with the app's next apply).
 * </ul>
 *
 * Apps with an operation under way are left alone until the next pass.
 */
@Component
public class Reconciler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final DeploymentStore store;
  private final Deployments deployments;
  private final RuntimeDriver driver;
  private final Router router;
  private final Rollout rollout;
  private final TenantApi tenants;
  private final EventLog events;
  private final ChallengeRoutes challenges;
  private final AppRoutes routes;
  private final OneOffRuns runs;
  private final AppChanges changes;
  private final AppLifecycle lifecycle;
  private final ZeroStore zero;
  private final ExecutorService wakers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rollout-", 0).factory());
  private volatile boolean closed;

  /** How often a woken rollout asks again for an app whose lease is held elsewhere. */
  private static final Duration WAKE_RETRY = Duration.ofMillis(200);

  Reconciler(
      DeploymentStore store,
      Deployments deployments,
      RuntimeDriver driver,
      Router router,
      Rollout rollout,
      TenantApi tenants,
      EventLog events,
      ChallengeRoutes challenges,
      AppRoutes routes,
      OneOffRuns runs,
      AppChanges changes,
      AppLifecycle lifecycle,
      ZeroStore zero) {
    this.lifecycle = lifecycle;
    this.zero = zero;
    this.changes = changes;
    this.runs = runs;
    this.challenges = challenges;
    this.routes = routes;
    this.store = store;
    this.deployments = deployments;
    this.driver = driver;
    this.router = router;
    this.rollout = rollout;
    this.tenants = tenants;
    this.events = events;
  }

  /**
   * Closes the project networks as the database says before anything else happens: containers that
   * kept running while the bridge was down are guarded again at once.
   */
  @EventListener(ApplicationReadyEvent.class)
  void secureNetworksOnStart() {
    secureNetworks();
  }

  /**
   * A firewall that cannot be applied is logged loudly but keeps nothing else from converging: new
   * project networks still refuse to start containers until it can (the driver guards them first).
   */
  private void secureNetworks() {
    try {
      driver.secureNetworks(store.projectIds());
    } catch (RuntimeException e) {
      log.error("The project networks could not be firewalled: {}", e.getMessage());
    }
  }

  @Scheduled(
      fixedDelayString = "${slipway.runtime.reconcile-interval:10s}",
      initialDelayString = "${slipway.runtime.reconcile-interval:10s}")
  void scheduled() {
    try {
      reconcile();
    } catch (RuntimeException e) {
      log.warn("Reconciling failed; trying again on the next pass: {}", e.getMessage());
    }
  }

  /**
   * One pass over every app. An app that cannot be brought back (its image deleted, say) is logged
   * and tried again on the next pass; it never keeps the others from converging.
   */
  public void reconcile() {
    secureNetworks();
    router.prepare();
    // deletions accepted but not carried out (the accepting bridge died, say): nothing else first
    store.allDeleting().forEach(ref -> each(ref, () -> lifecycle.carryOutDeletion(ref)));
    for (RevisionRecord unfinished : store.unfinished()) {
      AppSpec spec = unfinished.spec();
      each(spec.ref(), () -> abandon(unfinished));
    }
    // what was accepted while no replica could roll it out (the accepting one died, say)
    store.withPending().forEach(ref -> each(ref, () -> deployments.carryOutAccepted(ref)));
    // scales, stops and starts recorded but not applied (the bridge died before it could, say)
    changes.withUnapplied().forEach(ref -> each(ref, () -> changes.carryOut(ref)));
    for (RevisionRecord held : store.stoppedHolding()) {
      each(held.spec().ref(), () -> releaseStopped(held));
    }
    // one-off runs a stopped bridge left open; their containers go with the app's next apply
    runs.closeOverdue();
    Map<AppRef, AppSpec> live =
        store.allLive().stream()
            .map(RevisionRecord::spec)
            .collect(Collectors.toMap(AppSpec::ref, Function.identity()));
    // Under the app's lock, what was read at the start of the pass is asked again: a deploy, stop
    // or rollback that finished in between must not be undone by this pass.
    live.keySet()
        .forEach(
            ref ->
                each(
                    ref,
                    () ->
                        store
                            .running(ref)
                            .ifPresentOrElse(this::converge, () -> routes.settle(ref))));

    Set<AppRef> orphans = new HashSet<>(driver.apps());
    orphans.removeAll(live.keySet());
    orphans.forEach(
        ref ->
            each(
                ref,
                () -> {
                  if (store.running(ref).isEmpty()) {
                    log.info("Removing orphan app {}", ref);
                    driver.removeApp(ref);
                  }
                }));

    // Every other app that exists answers the 503 page saying why it does not run: stopped,
    // failed, or (known to tenant-service alone) not deployed yet.
    Optional<List<AppRef>> catalog = catalog();
    Set<AppRef> parked = new HashSet<>(store.allApps());
    catalog.ifPresent(parked::addAll);
    parked.removeAll(live.keySet());
    parked.forEach(
        ref ->
            each(
                ref,
                () -> {
                  if (!routes.settle(ref)) {
                    // it runs since the pass began: its instances are the next pass's to route
                    routes.forget(ref);
                  }
                }));

    // Routes of apps that exist nowhere any more go, so their hosts answer 404. Without the
    // catalog, an app this bridge parked as not deployed may still exist: its route stays.
    Set<AppRef> orphanRoutes = new HashSet<>(router.routed());
    orphanRoutes.removeAll(live.keySet());
    orphanRoutes.removeAll(parked);
    orphanRoutes.forEach(
        ref ->
            each(
                ref,
                () -> {
                  if (store.standing(ref).isEmpty()
                      && (catalog.isPresent() || !routes.wrote(ref))) {
                    routes.unroute(ref);
                  }
                }));
    Set<AppRef> known = new HashSet<>(parked);
    known.addAll(live.keySet());
    routes.retain(known);
    try {
      challenges.publish();
    } catch (RuntimeException e) {
      log.warn(
          "Serving the domain challenges failed; trying again on the next pass: {}",
          e.getMessage());
    }
  }

  /** Every app tenant-service has; empty when it cannot say (down, or no client secret). */
  private Optional<List<AppRef>> catalog() {
    try {
      return Optional.of(tenants.apps());
    } catch (RuntimeException e) {
      log.warn(
          "Listing the apps in tenant-service failed; apps never deployed keep their answer until"
              + " the next pass: {}",
          e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Carries out what was just accepted for the app (revisions, then scales, stops and starts) now,
   * rather than on the next pass: on a thread of its own, which waits while the app's lease is held
   * elsewhere (a rollout of an earlier revision, here or on another replica, or the pass itself)
   * and ends once nothing of the app is pending. Whichever replica holds the lease then carries it
   * out; several wakes of one app are harmless.
   */
  public void wake(AppRef ref) {
    if (closed) {
      return;
    }
    wakers.submit(
        () -> {
          try {
            while (!closed
                && (store.deleting(ref)
                    || store.pending(ref).isPresent()
                    || changes.unapplied(ref))) {
              if (!deployments.ifIdle(ref, () -> carryOut(ref))) {
                Thread.sleep(WAKE_RETRY);
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (RuntimeException e) {
            log.warn(
                "Rolling out what was accepted for {} failed; the next pass tries again", ref, e);
          }
        });
  }

  /**
   * What was accepted for the app: its deletion, which makes the rest moot; else its revisions
   * first, then its desired-state changes.
   */
  private void carryOut(AppRef ref) {
    if (store.deleting(ref)) {
      lifecycle.carryOutDeletion(ref);
      return;
    }
    deployments.carryOutAccepted(ref);
    changes.carryOut(ref);
  }

  /** Stops waking: a rollout under way is interrupted and left to the next bridge's pass. */
  @Override
  public void close() {
    closed = true;
    wakers.shutdownNow();
  }

  /** Does one app's part of the pass unless a deploy holds the app; a failure stays its own. */
  private void each(AppRef ref, Runnable work) {
    try {
      deployments.ifIdle(ref, work);
    } catch (RuntimeException e) {
      log.warn("Reconciling {} failed; trying again on the next pass: {}", ref, e.getMessage());
    }
  }

  /** A stop that died after marking the app stopped: what it held is released here. */
  private void releaseStopped(RevisionRecord held) {
    AppRef ref = held.spec().ref();
    log.info("Releasing what stopped app {} still holds", ref);
    held.reservationKeys().forEach(key -> tenants.release(ref.tenant(), key));
    store.setKeys(ref, held.spec().revision(), List.of());
  }

  private void abandon(RevisionRecord listed) {
    // asked again under the lease: the rollout may have ended since the pass listed it
    Optional<RevisionRecord> still =
        store
            .revision(listed.spec().ref(), listed.spec().revision())
            .filter(r -> RevisionRecord.DEPLOYING.equals(r.status()));
    if (still.isEmpty()) {
      return;
    }
    RevisionRecord unfinished = still.get();
    AppSpec spec = unfinished.spec();
    log.info("Abandoning the unfinished rollout of {} revision {}", spec.ref(), spec.revision());
    driver.remove(spec.ref(), spec.revision());
    unfinished.reservationKeys().forEach(key -> tenants.release(spec.ref().tenant(), key));
    deployments.putConfigBack(spec);
    store.markFailed(
        spec.ref(), spec.revision(), "the bridge stopped during the rollout; deploy again");
  }

  /**
   * Keeps the live revision running with its replicas and routes its instances. When the pass finds
   * every instance exited, the app answers "crashed" until a later pass finds the restarted
   * instances running.
   */
  private void converge(AppSpec spec) {
    Optional<Integer> atZero = zero.zeroRevision(spec.ref());
    if (atZero.isPresent() && atZero.get() == spec.revision()) {
      // scaled to zero on purpose: its stopped instances stay so, its hosts go to the activator
      routes.hold(spec);
      return;
    }
    if (atZero.isPresent()) {
      // at zero with a revision a deploy or rollback has replaced since: awake with the new one
      zero.awake(spec.ref());
    }
    boolean crashed = false;
    for (RevisionState state : driver.observe(spec.ref())) {
      if (state.revision() != spec.revision()) {
        driver.remove(spec.ref(), state.revision());
      } else {
        List<Instance> exited = state.instances().stream().filter(i -> !i.running()).toList();
        exited.forEach(i -> exited(spec, i));
        crashed = !exited.isEmpty() && exited.size() == state.instances().size();
        // another process type's exit is an event too, but no route depends on it
        state.processes().values().stream()
            .flatMap(List::stream)
            .filter(i -> !i.running())
            .forEach(i -> exited(spec, i));
      }
    }
    if (crashed) {
      // before starting them again, which may fail too (its image deleted, say): it has crashed
      routes.announce(spec.ref(), Parked.CRASHED);
    }
    driver.apply(spec);
    if (spec.replicas() == 0) {
      routes.park(spec.ref(), Parked.SCALED_TO_ZERO);
      return;
    }
    if (crashed) {
      return;
    }
    List<String> upstreams = rollout.upstreams(spec);
    if (upstreams.isEmpty()) {
      routes.park(spec.ref(), Parked.STARTING);
    } else {
      routes.serve(spec, upstreams);
    }
  }

  /**
   * An instance of a live revision that has exited is an event before it is started again: exit
   * code 137 means the kernel (or someone) killed it, which for an app is almost always its memory
   * limit.
   */
  private void exited(AppSpec spec, Instance instance) {
    Integer code = instance.exitCode();
    if (code != null && code == 137) {
      events.warning(
          spec.ref(),
          "OOMKilled",
          "Instance "
              + instance.name()
              + " was killed over its memory limit of "
              + spec.memoryMib()
              + " MiB (exit code 137); restarted",
          spec.revision());
    } else {
      events.warning(
          spec.ref(),
          "Exited",
          "Instance " + instance.name() + " exited with code " + code + "; restarted",
          spec.revision());
    }
  }
}
