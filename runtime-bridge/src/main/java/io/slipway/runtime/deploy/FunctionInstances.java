package io.slipway.runtime.deploy;

import io.slipway.runtime.RuntimeProperties;
import io.slipway.runtime.driver.Instance;
import io.slipway.runtime.driver.Restarting;
import io.slipway.runtime.driver.RevisionState;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.rollout.HealthProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The instances of each function app the invoker may send invocations to: its running revision's
 * running instances, asked of the runtime at most every {@link #LOOK_EVERY} (an invocation must not
 * wait on the runtime's API), and restarted when an invocation left one busy or silent.
 */
@Component
class FunctionInstances implements DisposableBean {

  /** The event of a function instance restarted after an invocation it did not finish in time. */
  static final String RESTARTED = "FunctionInstanceRestarted";

  static final Duration LOOK_EVERY = Duration.ofSeconds(2);

  private static final Duration PROBE_INTERVAL = Duration.ofMillis(50);
  private static final Logger log = LoggerFactory.getLogger(FunctionInstances.class);

  private final RuntimeDriver driver;
  private final EventLog events;
  private final Duration healthTimeout;
  private final HealthProbe probe = new HealthProbe();
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private final ExecutorService restarts =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("fn-restart-", 0).factory());

  /** What the runtime said of an app's revision, and when. */
  private record Seen(int revision, List<Instance> ready, long atNanos) {}

  FunctionInstances(RuntimeDriver driver, EventLog events, RuntimeProperties properties) {
    this.driver = driver;
    this.events = events;
    this.healthTimeout = properties.healthTimeout();
  }

  /** The revision's running instances with an address, as last seen (at most a moment ago). */
  List<Instance> ready(AppSpec spec) {
    String appId = spec.ref().appId();
    Seen last = seen.get(appId);
    long now = System.nanoTime();
    if (last != null
        && last.revision() == spec.revision()
        && now - last.atNanos() < LOOK_EVERY.toNanos()) {
      return last.ready();
    }
    List<Instance> ready =
        driver.observe(spec).map(RevisionState::running).orElse(List.of()).stream()
            .filter(i -> i.address() != null)
            .toList();
    seen.put(appId, new Seen(spec.revision(), ready, now));
    return ready;
  }

  /**
   * Restarts the instance in the background (a driver that cannot leaves it to the runtime), waits
   * until it answers its health check again, then runs {@code then} (which frees its lane), so no
   * invocation goes to it meanwhile. An event tells the app's developers.
   */
  void restart(AppSpec spec, Instance instance, int timeoutSeconds, Runnable then) {
    restarts.submit(
        () -> {
          try {
            if (driver instanceof Restarting restarting) {
              restarting.restart(instance.name());
            }
            seen.remove(spec.ref().appId());
            events.warning(
                spec.ref(),
                RESTARTED,
                "Instance "
                    + instance.name()
                    + " restarted: an invocation did not finish within the function's "
                    + timeoutSeconds
                    + " s limit, or its runtime did not answer",
                spec.revision());
            awaitHealthy(spec, instance.name());
          } catch (RuntimeException e) {
            log.warn("Restarting {} failed: {}", instance.name(), e.getMessage());
          } finally {
            seen.remove(spec.ref().appId());
            then.run();
          }
        });
  }

  private void awaitHealthy(AppSpec spec, String name) {
    long deadline = System.nanoTime() + healthTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Instance> now =
          driver.observe(spec).stream()
              .flatMap(s -> s.running().stream())
              .filter(i -> i.name().equals(name) && i.address() != null)
              .findFirst();
      if (now.isPresent() && probe.healthy(now.get().address(), spec.healthPath())) {
        return;
      }
      LockSupport.parkNanos(PROBE_INTERVAL.toNanos());
    }
    log.warn("{} did not get healthy after its restart; the reconciler sees to it", name);
  }

  @Override
  public void destroy() {
    restarts.shutdownNow();
  }
}
