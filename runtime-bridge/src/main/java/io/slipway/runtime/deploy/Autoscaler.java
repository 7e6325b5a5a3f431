package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.ProcessTypes;
import io.slipway.runtime.rollout.Rollout;
import io.slipway.runtime.router.Router;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Autoscaling on concurrency (issue 22), on a router that counts the requests each upstream has not
 * answered yet ({@link Router#countsRequests}: Caddy): every {@code tick} each replica samples,
 * under each opted-in app's lease, the requests in flight to its live revision's web instances, and
 * sets its web replicas to what they call for ({@link RequestWindow}) within the app's bounds. A
 * change is an ordinary scale ({@link Deployments#scale}), so the project's compute quota is
 * checked as for a developer's: a scale-up it refuses is not made, and an {@code AutoscaleRefused}
 * event gives the quota's words (once for as long as the words stay the same); each change made is
 * an {@code Autoscaled} event saying what called for it. A function's requests go from the router
 * to the bridge's invoker, not to its instances, so its in-flight count is the invoker's: the
 * invocations running on an instance or waiting for one ({@link Invoker#inFlight}). The samples
 * live in the replica's memory.
 */
@Component
class Autoscaler {

  /** The event of a scale the autoscaler made, with the averages that called for it. */
  static final String AUTOSCALED = "Autoscaled";

  /** The event of a scale-up the project's compute quota refused. */
  static final String AUTOSCALE_REFUSED = "AutoscaleRefused";

  private static final Logger log = LoggerFactory.getLogger(Autoscaler.class);

  private final AutoscaleStore settings;
  private final DeploymentStore store;
  private final Deployments deployments;
  private final AppChanges changes;
  private final Rollout rollout;
  private final AppRoutes routes;
  private final Router router;
  private final Invoker invoker;
  private final Reconciler reconciler;
  private final EventLog events;
  private final AutoscaleProperties properties;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, RequestWindow> windows = new ConcurrentHashMap<>();

  Autoscaler(
      AutoscaleStore settings,
      DeploymentStore store,
      Deployments deployments,
      AppChanges changes,
      Rollout rollout,
      AppRoutes routes,
      Router router,
      Invoker invoker,
      Reconciler reconciler,
      EventLog events,
      AutoscaleProperties properties) {
    this.settings = settings;
    this.store = store;
    this.deployments = deployments;
    this.changes = changes;
    this.rollout = rollout;
    this.routes = routes;
    this.router = router;
    this.invoker = invoker;
    this.reconciler = reconciler;
    this.events = events;
    this.properties = properties;
  }

  /** Whether this platform's router lets apps autoscale. */
  boolean supported() {
    return router.countsRequests();
  }

  @Scheduled(
      fixedDelayString = "${slipway.runtime.autoscaling.tick:2s}",
      initialDelayString = "${slipway.runtime.autoscaling.tick:2s}")
  void scheduled() {
    try {
      pass(clock.instant());
    } catch (RuntimeException e) {
      log.warn("The autoscaling pass failed; trying again on the next: {}", e.getMessage());
    }
  }

  /**
   * Samples every app opted in that runs, as of {@code now}, and scales those whose requests call
   * for another count. An app with an operation under way (here or on another replica) or a change
   * not applied yet is left to the next pass; an app stopped, at zero or no longer opted in forgets
   * its samples.
   */
  void pass(Instant now) {
    if (!supported()) {
      return;
    }
    List<AutoscaleStore.Opted> opted = settings.opted();
    windows.keySet().retainAll(opted.stream().map(o -> o.ref().appId()).toList());
    if (opted.isEmpty()) {
      return;
    }
    Map<String, Integer> inFlight = router.requestsInFlight();
    for (AutoscaleStore.Opted app : opted) {
      try {
        deployments.ifIdle(app.ref(), () -> sample(app, inFlight, now));
      } catch (RuntimeException e) {
        log.warn("Autoscaling {} failed: {}", app.ref(), e.getMessage());
      }
    }
  }

  /** Under the app's lease: one sample, and the scale it calls for. */
  private void sample(AutoscaleStore.Opted app, Map<String, Integer> inFlight, Instant now) {
    AppRef ref = app.ref();
    Optional<AppSpec> running = store.running(ref);
    if (running.isEmpty() || changes.unapplied(ref)) {
      return;
    }
    AppSpec spec = running.get();
    List<String> upstreams = routes.served(ref).orElseGet(() -> rollout.upstreams(spec));
    int requests =
        upstreams.stream().mapToInt(u -> inFlight.getOrDefault(u, 0)).sum()
            + invoker.inFlight(ref.appId());
    RequestWindow window =
        windows.computeIfAbsent(
            ref.appId(),
            id -> new RequestWindow(properties.stableWindow(), properties.panicWindow()));
    window.add(now, requests);
    AutoscaleSetting.Bounds bounds = app.bounds();
    int current = spec.replicas();
    RequestWindow.Decision decision =
        window.decide(now, current, bounds.min(), bounds.max(), bounds.target());
    if (decision.replicas() == current) {
      return;
    }
    String why = why(decision, bounds.target());
    try {
      deployments.scale(ref, ProcessTypes.WEB, decision.replicas(), null);
    } catch (Problem refused) {
      if (!"quota-exceeded".equals(refused.slug())) {
        throw refused;
      }
      String refusal =
          "Could not scale from "
              + current
              + " to "
              + decision.replicas()
              + " replicas: "
              + refused.getMessage();
      // said once for as long as the quota's words stay the same, whatever the averages do
      boolean said =
          events
              .latestOf(ref, spec.revision(), List.of(AUTOSCALE_REFUSED, AUTOSCALED))
              .filter(last -> last.message().startsWith(refusal))
              .isPresent();
      if (!said) {
        events.warning(
            ref, AUTOSCALE_REFUSED, refusal + " (wanted for " + why + ")", spec.revision());
      }
      return;
    }
    events.normal(
        ref,
        AUTOSCALED,
        "Autoscaled from " + current + " to " + decision.replicas() + " replicas for " + why,
        spec.revision());
    reconciler.wake(ref);
  }

  /** What called for a count, in words. */
  private static String why(RequestWindow.Decision decision, int target) {
    return String.format(
        Locale.ROOT,
        "%.1f requests in flight on average over the stable window (%.1f over the panic window%s),"
            + " %d per replica wanted",
        decision.stableAverage(),
        decision.panicAverage(),
        decision.panicking() ? ", panicking" : "",
        target);
  }
}
