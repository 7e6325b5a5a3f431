package io.slipway.runtime.rollout;

import io.slipway.runtime.driver.Instance;
import io.slipway.runtime.driver.LogSource;
import io.slipway.runtime.driver.RevisionState;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.render.RenderSettings;
import io.slipway.runtime.router.Router;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A zero-downtime switch from one revision to the next: start the new revision beside the old one,
 * wait until every instance answers its health check, point the route at it, then stop the old one.
 * A revision that exits or stays unhealthy until the deadline is removed again and the old one
 * keeps serving; the reason (exit code, last log lines) is returned.
 */
public final class Rollout {

  private static final int LOG_LINES = 20;

  private final RuntimeDriver driver;
  private final Router router;
  private final HealthProbe probe;
  private final RenderSettings settings;
  private final Duration healthTimeout;

  public Rollout(
      RuntimeDriver driver,
      Router router,
      HealthProbe probe,
      RenderSettings settings,
      Duration healthTimeout) {
    this.driver = driver;
    this.router = router;
    this.probe = probe;
    this.settings = settings;
    this.healthTimeout = healthTimeout;
  }

  /** Rolls {@code next} out, replacing {@code current} (the live revision, if any). */
  public RolloutResult rollOut(AppSpec next, Optional<AppSpec> current) {
    long start = System.nanoTime();
    driver.apply(next);
    Optional<String> failure = awaitHealthy(next);
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (failure.isPresent()) {
      driver.remove(next.ref(), next.revision());
      return new RolloutResult(next.revision(), false, failure.get(), millis);
    }
    router.route(next.ref(), settings.host(next.ref()), upstreams(next));
    millis = (System.nanoTime() - start) / 1_000_000;
    current
        .filter(c -> c.revision() != next.revision())
        .ifPresent(c -> driver.remove(c.ref(), c.revision()));
    return new RolloutResult(next.revision(), true, null, millis);
  }

  /** The addresses of a revision's running instances. */
  public List<String> upstreams(AppSpec spec) {
    return state(spec)
        .map(s -> s.running().stream().map(Instance::address).filter(a -> a != null).toList())
        .orElse(List.of());
  }

  private Optional<RevisionState> state(AppSpec spec) {
    return driver.observe(spec.ref()).stream()
        .filter(s -> s.revision() == spec.revision())
        .findFirst();
  }

  /**
   * Scales the live revision: starts or stops instances, waits until new ones are healthy, then
   * routes to what runs. Empty when done; else why the new instances failed (they are kept, the
   * reconciler keeps trying).
   */
  public Optional<String> scale(AppSpec scaled) {
    driver.apply(scaled);
    Optional<String> failure = awaitHealthy(scaled);
    if (failure.isEmpty()) {
      List<String> upstreams = upstreams(scaled);
      if (upstreams.isEmpty()) {
        router.unroute(scaled.ref());
      } else {
        router.route(scaled.ref(), settings.host(scaled.ref()), upstreams);
      }
    }
    return failure;
  }

  /** Empty once every instance is healthy; else why not. */
  public Optional<String> awaitHealthy(AppSpec spec) {
    long deadline = System.nanoTime() + healthTimeout.toNanos();
    while (true) {
      Optional<RevisionState> state = state(spec);
      Optional<Instance> exited =
          state.stream().flatMap(s -> s.instances().stream()).filter(i -> !i.running()).findFirst();
      if (exited.isPresent()) {
        return Optional.of(reason(spec, "exited with code " + exited.get().exitCode()));
      }
      List<Instance> running = state.map(RevisionState::running).orElse(List.of());
      if (running.size() == spec.replicas()
          && running.stream()
              .allMatch(
                  i -> i.address() != null && probe.healthy(i.address(), spec.healthPath()))) {
        return Optional.empty();
      }
      if (System.nanoTime() > deadline) {
        return Optional.of(
            reason(
                spec,
                "did not answer its health check "
                    + spec.healthPath()
                    + " within "
                    + healthTimeout.toSeconds()
                    + " s"));
      }
      sleep();
    }
  }

  private String reason(AppSpec spec, String what) {
    String logs =
        driver instanceof LogSource source
            ? source.lastLines(spec.ref(), spec.revision(), LOG_LINES)
            : "";
    return "revision "
        + spec.revision()
        + " "
        + what
        + (logs.isEmpty() ? "" : "; last log lines:\n" + logs);
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a revision", e);
    }
  }
}
