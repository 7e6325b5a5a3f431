package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.driver.Dozing;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.driver.ScalesItselfToZero;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.rollout.Rollout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Scale to zero (issue 22), on a driver that can pause, stop and keep instances ({@link Dozing}):
 * an app opted in whose web instances received no traffic for its idle period has its live
 * revision's instances stopped (kept, so starting them again is quick) and its hosts sent to the
 * activator ({@link #pass}); the first request there wakes it ({@link #wake}). An app with a paused
 * stage ({@code pausedFor}) has its instances paused first, their memory and compute reservation
 * kept, so that a request resumes them where they were, with no start and no health check; they are
 * stopped once paused that much longer.
 *
 * <p>Idleness is read from the instances' own network counters (podman's per-container {@code
 * NetInput}), sampled every {@code check-interval}: every request the router sends reaches them,
 * and the bridge itself sends them nothing once they are live. A growth of at most {@link
 * #NOISE_BYTES} between two samples (neighbour discovery, ARP) is not traffic. The samples live in
 * the replica's memory: a replica that starts anew waits a whole idle period before it stops an
 * app.
 *
 * <p>An app at zero holds no compute: its reservation is given back when it stops and taken again
 * when it wakes, so the room it leaves can be used meanwhile. A wake the quota no longer allows is
 * refused ({@link Wake.Outcome#QUOTA_FULL}): the app stays at zero, a {@code WakeRefused} event
 * tells its developers why, and the visitor gets the router's 503 that says it cannot start now.
 */
@Component
class ScaleToZero implements DisposableBean {

  /** The event of an app whose instances were stopped for being idle. */
  static final String SCALED_TO_ZERO = "ScaledToZero";

  /** The event of an app whose instances were paused for being idle. */
  static final String PAUSED = "Paused";

  /** The event of an app woken by a request, with how long the wake took. */
  static final String WOKEN = "Woken";

  /** The event of a wake whose instances did not start or get healthy. */
  static final String WAKE_FAILED = "WakeFailed";

  /** The event of a wake its project's compute quota did not allow. */
  static final String WAKE_REFUSED = "WakeRefused";

  /** Growth of the received bytes between two samples that does not count as a request. */
  static final long NOISE_BYTES = 256;

  private static final Logger log = LoggerFactory.getLogger(ScaleToZero.class);

  private final ZeroStore zero;
  private final DeploymentStore store;
  private final Deployments deployments;
  private final RuntimeDriver driver;
  private final Rollout rollout;
  private final AppRoutes routes;
  private final EventLog events;
  private final Clock clock;
  private final Map<String, Sample> samples = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Wake>> wakes = new ConcurrentHashMap<>();
  private final ExecutorService wakers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("wake-", 0).factory());

  /** The bytes received as last seen, since when they have been so, for which revision. */
  private record Sample(int revision, long received, Instant since) {}

  /**
   * What a wake came to: the spec running, or nothing: the app is not at zero here (stopped,
   * deleted, not held by this bridge), {@code QUOTA_FULL} when its project's compute quota refused
   * it, {@code FAILED} when its instances did not get healthy (the app stays at zero).
   */
  record Wake(Optional<AppSpec> running, Outcome outcome) {

    static final Wake NONE = new Wake(Optional.empty(), Outcome.NOT_HERE);

    enum Outcome {
      WOKEN,
      NOT_HERE,
      QUOTA_FULL,
      FAILED
    }
  }

  ScaleToZero(
      ZeroStore zero,
      DeploymentStore store,
      Deployments deployments,
      RuntimeDriver driver,
      Rollout rollout,
      AppRoutes routes,
      EventLog events) {
    this.zero = zero;
    this.store = store;
    this.deployments = deployments;
    this.driver = driver;
    this.rollout = rollout;
    this.routes = routes;
    this.events = events;
    this.clock = Clock.systemUTC();
  }

  /**
   * Whether this driver can scale apps to zero: by the bridge stopping their instances, or by the
   * runtime's own controller (Knative Serving), to which the setting is passed on with each apply.
   */
  boolean supported() {
    return driver instanceof Dozing
        || (driver instanceof ScalesItselfToZero itself && itself.scalesToZero());
  }

  @Scheduled(
      fixedDelayString = "${slipway.runtime.scale-to-zero.check-interval:30s}",
      initialDelayString = "${slipway.runtime.scale-to-zero.check-interval:30s}")
  void scheduled() {
    try {
      pass(clock.instant());
    } catch (RuntimeException e) {
      log.warn("The scale-to-zero pass failed; trying again on the next: {}", e.getMessage());
    }
  }

  /**
   * Samples every app opted in that runs, as of {@code now}, and stops those idle for their period.
   * An app with an operation under way (here or on another replica) is left to the next pass.
   */
  void pass(Instant now) {
    if (!(driver instanceof Dozing dozing)) {
      return;
    }
    List<ZeroStore.Opted> opted = zero.opted();
    samples.keySet().retainAll(opted.stream().map(o -> o.ref().appId()).toList());
    for (ZeroStore.Opted app : opted) {
      if (app.atZero() != null) {
        samples.remove(app.ref().appId());
        if (app.paused() && pausedLongEnough(app, now)) {
          try {
            deployments.ifIdle(app.ref(), () -> stopPaused(dozing, app, now));
          } catch (RuntimeException e) {
            log.warn("Stopping the paused {} failed: {}", app.ref(), e.getMessage());
          }
        }
        continue;
      }
      try {
        deployments.ifIdle(app.ref(), () -> sample(dozing, app, now));
      } catch (RuntimeException e) {
        log.warn("Sampling {} for scale to zero failed: {}", app.ref(), e.getMessage());
      }
    }
  }

  /** Under the app's lease: one sample, and the stop when the app has been idle long enough. */
  private void sample(Dozing dozing, ZeroStore.Opted app, Instant now) {
    AppRef ref = app.ref();
    Optional<AppSpec> running = store.running(ref);
    if (running.isEmpty() || zero.atZero(running.get())) {
      return;
    }
    AppSpec spec = running.get();
    OptionalLong received = dozing.received(ref, spec.revision());
    if (received.isEmpty()) {
      samples.remove(ref.appId());
      return;
    }
    Sample last = samples.get(ref.appId());
    long bytes = received.getAsLong();
    if (last == null
        || last.revision() != spec.revision()
        || bytes < last.received()
        || bytes - last.received() > NOISE_BYTES) {
      samples.put(ref.appId(), new Sample(spec.revision(), bytes, now));
      return;
    }
    if (Duration.between(last.since(), now).compareTo(app.periods().idleAfter()) < 0) {
      return;
    }
    if (app.periods().pausedFor().isZero()) {
      toZero(dozing, spec, app.periods().idleAfter());
    } else {
      toPaused(dozing, spec, app.periods(), now);
    }
  }

  private static boolean pausedLongEnough(ZeroStore.Opted app, Instant now) {
    return app.since() != null && !now.isBefore(app.since().plus(app.periods().pausedFor()));
  }

  /**
   * As {@link #toZero}, but the instances are frozen rather than stopped: they keep their memory,
   * so they keep their compute reservation too, until {@link #stopPaused} stops them.
   */
  private void toPaused(
      Dozing dozing, AppSpec spec, ScaleToZeroSetting.Periods periods, Instant now) {
    AppRef ref = spec.ref();
    zero.toPaused(ref, spec.revision(), now);
    routes.hold(spec);
    dozing.pauseInstances(ref, spec.revision());
    samples.remove(ref.appId());
    events.normal(
        ref,
        PAUSED,
        "Paused after "
            + ScaleToZeroSetting.format(periods.idleAfter())
            + " without requests; the next request resumes it at once. Stopped if still idle after "
            + ScaleToZeroSetting.format(periods.pausedFor())
            + " more",
        spec.revision());
    log.info("Paused {}", ref);
  }

  /**
   * Under the app's lease: the paused revision is stopped if it is still paused since then (a wake
   * and a new idle period may have come in between).
   */
  private void stopPaused(Dozing dozing, ZeroStore.Opted app, Instant now) {
    Optional<AppSpec> running = store.running(app.ref());
    if (running.isPresent()
        && zero.pausedSince(running.get()).filter(app.since()::equals).isPresent()) {
      ScaleToZeroSetting.Periods periods = app.periods();
      toZero(dozing, running.get(), periods.idleAfter().plus(periods.pausedFor()));
    }
  }

  /**
   * The route goes to the activator first, so a request that comes while the instances stop is held
   * (and wakes them once this is done) rather than sent to a stopping instance.
   */
  private void toZero(Dozing dozing, AppSpec spec, Duration idleAfter) {
    AppRef ref = spec.ref();
    zero.toZero(ref, spec.revision());
    routes.hold(spec);
    dozing.stopInstances(ref, spec.revision());
    samples.remove(ref.appId());
    try {
      releaseHeld(ref, spec);
    } catch (RuntimeException e) {
      // the keys stay with the revision, and the next wake gives them back before reserving anew
      log.warn(
          "Giving back {}'s compute at zero failed, the next wake does: {}", ref, e.getMessage());
    }
    events.normal(
        ref,
        SCALED_TO_ZERO,
        "Scaled to zero after "
            + ScaleToZeroSetting.format(idleAfter)
            + " without requests; the next request wakes it",
        spec.revision());
    log.info("Scaled {} to zero", ref);
  }

  /**
   * Wakes the app with this id if it is at zero, once however many requests ask at once on this
   * replica (they share one wake), and once across replicas (the wake runs under the app's lease
   * and asks again whether the app is still at zero). Completes with the running spec once its
   * instances are healthy and routed; with none when the app does not run (stopped, deleted, not
   * held here), did not come up, or its quota refused it.
   */
  CompletableFuture<Wake> wake(String appId) {
    CompletableFuture<Wake> wake = new CompletableFuture<>();
    CompletableFuture<Wake> under = wakes.putIfAbsent(appId, wake);
    if (under != null) {
      return under;
    }
    // in the map before it can end, so that its end always takes it out again
    wakers.submit(
        () -> {
          try {
            wake.complete(zero.byId(appId).map(this::wakeOf).orElse(Wake.NONE));
          } catch (Problem refused) {
            wake.complete(
                quotaFull(refused)
                    ? new Wake(Optional.empty(), Wake.Outcome.QUOTA_FULL)
                    : Wake.NONE);
          } catch (RuntimeException e) {
            log.warn("Waking app {} failed: {}", appId, e.getMessage());
            wake.complete(Wake.NONE);
          } finally {
            wakes.remove(appId, wake);
          }
        });
    return wake;
  }

  private Wake wakeOf(AppRef ref) {
    Optional<AppSpec> running = wakeNow(ref);
    if (running.isPresent()) {
      return new Wake(running, Wake.Outcome.WOKEN);
    }
    // still at zero after a wake that ran: its instances did not come up
    return zero.zeroRevision(ref).isPresent()
        ? new Wake(Optional.empty(), Wake.Outcome.FAILED)
        : Wake.NONE;
  }

  /**
   * Under the app's lease: reserves its compute again, starts the stopped instances, waits until
   * healthy, routes them. A wake that does not come up is stopped again and holds nothing.
   *
   * @throws Problem 409 {@code quota-exceeded} when the quota no longer allows the app to run (it
   *     stays at zero; a {@code WakeRefused} event says so)
   */
  Optional<AppSpec> wakeNow(AppRef ref) {
    return deployments.locked(
        ref,
        () -> {
          Optional<AppSpec> running = store.running(ref);
          if (running.isEmpty()) {
            return Optional.<AppSpec>empty();
          }
          AppSpec spec = running.get();
          if (!zero.atZero(spec)) {
            return running;
          }
          long began = System.nanoTime();
          if (zero.paused(spec) && resumed(spec, began)) {
            return running;
          }
          reserve(spec);
          long started;
          String failed;
          try {
            driver.apply(spec);
            started = System.nanoTime();
            failed = rollout.awaitHealthy(spec).map(Rollout.Failure::reason).orElse(null);
          } catch (RuntimeException e) {
            // its image gone, say: podman cannot make or start its instances
            started = System.nanoTime();
            failed = "its instances could not be started: " + e.getMessage();
          }
          if (failed != null) {
            events.warning(
                ref,
                WAKE_FAILED,
                "A request could not wake it: "
                    + failed.replaceAll("\\.$", "")
                    + ". It stays at zero",
                spec.revision());
            backToZero(ref, spec);
            return Optional.<AppSpec>empty();
          }
          awake(spec, began, started, "Woken", "start", "health check");
          return running;
        });
  }

  /**
   * Resumes a paused revision's instances and routes them again: they were frozen where they were,
   * so no health check; false when one of them had gone (the caller then starts it as from zero).
   */
  private boolean resumed(AppSpec spec, long began) {
    AppRef ref = spec.ref();
    boolean resumed;
    try {
      resumed = driver instanceof Dozing dozing && dozing.resumeInstances(ref, spec.revision());
    } catch (RuntimeException e) {
      log.warn("Resuming {} failed, starting it instead: {}", ref, e.getMessage());
      resumed = false;
    }
    if (!resumed) {
      return false;
    }
    awake(spec, began, System.nanoTime(), "Resumed", "resume", "routing");
    return true;
  }

  /**
   * Routes the app's instances again and records it awake, with a {@code Woken} event saying how
   * long since {@code began} it took, split at {@code split} into its two parts.
   */
  private void awake(
      AppSpec spec, long began, long split, String how, String first, String second) {
    routes.serve(spec, rollout.upstreams(spec));
    zero.awake(spec.ref());
    long now = System.nanoTime();
    long millis = (now - began) / 1_000_000;
    events.normal(
        spec.ref(),
        WOKEN,
        "%s by a request in %d ms (%s %d ms, %s %d ms)"
            .formatted(
                how, millis, first, (split - began) / 1_000_000, second, (now - split) / 1_000_000),
        spec.revision());
    log.info("{} {} in {} ms", how, spec.ref(), millis);
  }

  /**
   * Takes the compute of a waking app again, first giving back what it may still hold (a release at
   * zero that tenant-service did not take); refused with the quota's 409, recorded as an event.
   */
  private void reserve(AppSpec spec) {
    AppRef ref = spec.ref();
    releaseHeld(ref, spec);
    Optional<String> key;
    try {
      key = deployments.reserve(spec, store.nextGeneration(ref));
    } catch (Problem refused) {
      if (quotaFull(refused)) {
        events.warning(
            ref,
            WAKE_REFUSED,
            "A request could not wake it: "
                + refused.getMessage().replaceAll("\\.$", "")
                + ". It stays at zero; raise the quota or stop another app, and the next request"
                + " wakes it",
            spec.revision());
      }
      throw refused;
    }
    store.setKeys(ref, spec.revision(), key.stream().toList());
  }

  /** After a wake that failed: what may have started stops again, and holds nothing. */
  private void backToZero(AppRef ref, AppSpec spec) {
    try {
      if (driver instanceof Dozing dozing) {
        dozing.stopInstances(ref, spec.revision());
      }
    } catch (RuntimeException e) {
      log.warn("Stopping {} again after its failed wake failed: {}", ref, e.getMessage());
    }
    releaseHeld(ref, spec);
  }

  private static boolean quotaFull(Problem refused) {
    return "quota-exceeded".equals(refused.slug());
  }

  /** Gives back the compute the app's live revision holds, while nothing of it runs. */
  private void releaseHeld(AppRef ref, AppSpec spec) {
    store
        .live(ref)
        .filter(live -> live.spec().revision() == spec.revision())
        .ifPresent(
            live -> {
              live.reservationKeys().forEach(key -> deployments.release(ref, key));
              store.setKeys(ref, spec.revision(), List.of());
            });
  }

  @Override
  public void destroy() {
    wakers.shutdownNow();
  }
}
