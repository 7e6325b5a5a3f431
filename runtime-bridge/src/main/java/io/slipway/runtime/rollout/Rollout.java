package io.slipway.runtime.rollout;

import io.slipway.runtime.driver.Instance;
import io.slipway.runtime.driver.LogSource;
import io.slipway.runtime.driver.OneOffCommands;
import io.slipway.runtime.driver.OneOffCommands.OneOffResult;
import io.slipway.runtime.driver.OpenPorts;
import io.slipway.runtime.driver.RevisionState;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppManifest.HealthCheck;
import io.slipway.runtime.model.AppManifest.ReleaseStep;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.render.RenderSettings;
import io.slipway.runtime.router.Activation;
import io.slipway.runtime.router.Parked;
import io.slipway.runtime.router.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A zero-downtime switch from one revision to the next: start the new revision beside the old one,
 * wait until every instance answers its health check, point the route at it, then stop the old one.
 * A revision that exits or stays unhealthy until the deadline is removed again and the old one
 * keeps serving; the reason (exit code, last log lines) is returned.
 */
public final class Rollout {

  private static final int LOG_LINES = 20;
  private static final Duration OBSERVE_INTERVAL = Duration.ofMillis(50);
  private static final Duration PROBE_INTERVAL = Duration.ofMillis(10);
  private static final Duration REOBSERVE_AFTER = Duration.ofMillis(500);

  /**
   * How long a revision may take before the ports its instances listen on are looked at (where the
   * driver can tell): one listening elsewhere than on its port then fails at once, and looks are
   * repeated every {@link #PORT_LOOK_INTERVAL}. A slow start listening nowhere yet is waited for.
   */
  static final Duration PORT_GRACE = Duration.ofSeconds(10);

  private static final Duration PORT_LOOK_INTERVAL = Duration.ofSeconds(1);

  private final RuntimeDriver driver;
  private final Router router;
  private final HealthProbe probe;
  private final Function<AppRef, List<String>> hosts;
  private final Duration healthTimeout;
  private final Duration drainTime;
  private final Duration releaseTimeout;
  private final Function<AppSpec, Optional<Activation>> front;

  /** How long a release phase command may run, by default. */
  public static final Duration DEFAULT_RELEASE_TIMEOUT = Duration.ofMinutes(10);

  /** How long the old revision keeps running after the route left it, by default. */
  public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(1);

  /** A rollout routing each app on its own host only. */
  public Rollout(
      RuntimeDriver driver,
      Router router,
      HealthProbe probe,
      RenderSettings settings,
      Duration healthTimeout) {
    this(driver, router, probe, ref -> List.of(settings.host(ref)), healthTimeout, DEFAULT_DRAIN);
  }

  /**
   * A rollout routing each app on the hosts {@code hosts} names (its own host and custom domains);
   * the old revision is removed {@code drainTime} after the route switched, so that requests the
   * router had already sent it can finish.
   */
  public Rollout(
      RuntimeDriver driver,
      Router router,
      HealthProbe probe,
      Function<AppRef, List<String>> hosts,
      Duration healthTimeout,
      Duration drainTime) {
    this(driver, router, probe, hosts, healthTimeout, drainTime, DEFAULT_RELEASE_TIMEOUT);
  }

  /**
   * The same, each one-off command of a deploy (release phase, {@code app.json} scripts) killed
   * after {@code releaseTimeout}.
   */
  public Rollout(
      RuntimeDriver driver,
      Router router,
      HealthProbe probe,
      Function<AppRef, List<String>> hosts,
      Duration healthTimeout,
      Duration drainTime,
      Duration releaseTimeout) {
    this(
        driver,
        router,
        probe,
        hosts,
        healthTimeout,
        drainTime,
        releaseTimeout,
        spec -> Optional.empty());
  }

  /**
   * The same, the hosts of a revision for which {@code front} names a target of the bridge's own (a
   * function's invoker) sent there rather than to its instances once they are healthy.
   */
  public Rollout(
      RuntimeDriver driver,
      Router router,
      HealthProbe probe,
      Function<AppRef, List<String>> hosts,
      Duration healthTimeout,
      Duration drainTime,
      Duration releaseTimeout,
      Function<AppSpec, Optional<Activation>> front) {
    this.front = front;
    this.releaseTimeout = releaseTimeout;
    this.driver = driver;
    this.router = router;
    this.probe = probe;
    this.hosts = hosts;
    this.healthTimeout = healthTimeout;
    this.drainTime = drainTime;
  }

  /** The hosts an app answers on. */
  public List<String> hosts(AppRef ref) {
    return hosts.apply(ref);
  }

  /** Rolls {@code next} out, replacing {@code current} (the live revision, if any). */
  public RolloutResult rollOut(AppSpec next, Optional<AppSpec> current) {
    return rollOut(next, current, ReleasePlan.NONE);
  }

  /**
   * Rolls {@code next} out as {@link #rollOut(AppSpec, Optional)} does, running the plan's one-off
   * commands first: the first that fails (exits non-zero, or runs out of time) stops the deploy
   * before anything of the new revision starts, so the current one keeps serving. Its {@code
   * postdeploy} runs once the route switched; its failure is reported, the revision stays live.
   */
  public RolloutResult rollOut(AppSpec next, Optional<AppSpec> current, ReleasePlan plan) {
    long start = System.nanoTime();
    List<RolloutResult.Stage> stages = new ArrayList<>();
    if (!plan.before().isEmpty()) {
      for (ReleaseStep step : plan.before()) {
        Optional<String> failed = runOnce(next, step);
        if (failed.isPresent()) {
          stages.add(new RolloutResult.Stage("release", (System.nanoTime() - start) / 1_000_000));
          return new RolloutResult(
              next.revision(),
              false,
              failed.get(),
              null,
              (System.nanoTime() - start) / 1_000_000,
              stages,
              step.phase(),
              null);
        }
      }
      stages.add(new RolloutResult.Stage("release", (System.nanoTime() - start) / 1_000_000));
    }
    long starting = System.nanoTime();
    driver.applyNew(next);
    long started = System.nanoTime();
    stages.add(new RolloutResult.Stage("start", (started - starting) / 1_000_000));
    Health health = checkHealth(next);
    if (health.failure().isEmpty() && plan.healthcheck() != null) {
      health = checkManifest(next, plan.healthcheck(), health);
    }
    Optional<Failure> failure = health.failure();
    long healthy = System.nanoTime();
    stages.add(new RolloutResult.Stage("health", (healthy - started) / 1_000_000));
    if (failure.isPresent()) {
      driver.remove(next.ref(), next.revision());
      return new RolloutResult(
          next.revision(),
          false,
          failure.get().reason(),
          failure.get().exitCode(),
          (System.nanoTime() - start) / 1_000_000,
          stages);
    }
    // the instances just found healthy are the upstreams: no second look at the runtime
    serve(next, health.upstreams());
    long routed = System.nanoTime();
    stages.add(new RolloutResult.Stage("route", (routed - healthy) / 1_000_000));
    Optional<AppSpec> old = current.filter(c -> c.revision() != next.revision());
    if (old.isPresent()) {
      // Requests already on their way to the old instances finish before those stop.
      pause(drainTime);
      driver.remove(old.get().ref(), old.get().revision());
    }
    String postdeployFailure = null;
    if (plan.after() != null) {
      long after = System.nanoTime();
      postdeployFailure = runOnce(next, plan.after()).orElse(null);
      stages.add(new RolloutResult.Stage("postdeploy", (System.nanoTime() - after) / 1_000_000));
    }
    return new RolloutResult(
        next.revision(),
        true,
        null,
        null,
        (routed - start) / 1_000_000,
        stages,
        null,
        postdeployFailure);
  }

  /**
   * Runs one one-off command of the revision: empty when it exited with 0, else why not with its
   * last output lines. A driver that cannot run one refuses the deploy rather than skip it.
   */
  private Optional<String> runOnce(AppSpec spec, ReleaseStep step) {
    String what = "revision " + spec.revision() + "'s " + step.phase() + " command";
    if (!(driver instanceof OneOffCommands commands)) {
      return Optional.of(what + " cannot run: this runtime runs no one-off containers");
    }
    OneOffResult result = commands.runOnce(spec, step.phase(), step.command(), releaseTimeout);
    if (result.succeeded()) {
      return Optional.empty();
    }
    String why =
        result.exitCode() == null
            ? " did not finish within " + releaseTimeout.toSeconds() + " s and was stopped"
            : " exited with code " + result.exitCode();
    return Optional.of(
        what
            + why
            + (result.output().isEmpty()
                ? " (it wrote nothing)"
                : "; last output lines:\n" + result.output()));
  }

  /**
   * The app.json health check (Dokku's): after {@code wait} seconds, each instance must answer its
   * path with its content, within its timeout, in at most {@code attempts} tries, {@code wait}
   * seconds apart.
   */
  private Health checkManifest(AppSpec spec, HealthCheck check, Health healthy) {
    List<String> unanswered = new ArrayList<>(healthy.upstreams());
    for (int attempt = 1; attempt <= check.attempts(); attempt++) {
      pause(Duration.ofSeconds(check.waitSeconds()));
      unanswered.removeIf(
          address ->
              probe.answers(
                  address,
                  check.path(),
                  check.content(),
                  Duration.ofSeconds(check.timeoutSeconds())));
      if (unanswered.isEmpty()) {
        return healthy;
      }
    }
    return Health.failed(
        new Failure(
            null,
            reason(
                spec,
                "did not pass its app.json health check "
                    + check.path()
                    + (check.content() == null
                        ? ""
                        : " (expecting the content \"" + check.content() + "\")")
                    + " in "
                    + check.attempts()
                    + " attempts")));
  }

  /**
   * Why a revision did not become healthy.
   *
   * @param exitCode the exit code of an instance that exited, or null when none answered in time
   * @param reason what to tell the user (with the last log lines)
   */
  public record Failure(Integer exitCode, String reason) {}

  /** The addresses of a revision's running instances. */
  public List<String> upstreams(AppSpec spec) {
    return state(spec)
        .map(
            s ->
                s.running().stream()
                    .map(Instance::address)
                    .filter(a -> a != null)
                    .distinct()
                    .toList())
        .orElse(List.of());
  }

  private Optional<RevisionState> state(AppSpec spec) {
    return driver.observe(spec);
  }

  /**
   * Scales the live revision: starts or stops instances, waits until new ones are healthy, then
   * routes to what runs. Empty when done; else why the new instances failed (they are kept, the
   * reconciler keeps trying).
   */
  public Optional<String> scale(AppSpec scaled) {
    driver.apply(scaled);
    Optional<Failure> failure = awaitHealthy(scaled);
    if (failure.isEmpty()) {
      List<String> upstreams = upstreams(scaled);
      if (upstreams.isEmpty()) {
        router.park(
            scaled.ref(),
            hosts(scaled.ref()),
            scaled.replicas() == 0 ? Parked.SCALED_TO_ZERO : Parked.STARTING);
      } else {
        serve(scaled, upstreams);
      }
    }
    return failure.map(Failure::reason);
  }

  /**
   * Sends the revision's hosts to its healthy {@code upstreams}, or to what stands in front of them
   * (a function's invoker, which picks one of them per invocation).
   */
  private void serve(AppSpec spec, List<String> upstreams) {
    Optional<Activation> fronted = front(spec);
    if (fronted.isPresent()) {
      router.hold(spec.ref(), hosts(spec.ref()), fronted.get());
    } else {
      router.route(spec.ref(), hosts(spec.ref()), upstreams);
    }
  }

  /**
   * Where the revision's hosts go instead of its instances (a function's invoker), or empty when
   * they are served directly.
   */
  public Optional<Activation> front(AppSpec spec) {
    return front.apply(spec);
  }

  /** Empty once every instance is healthy; else why not. */
  public Optional<Failure> awaitHealthy(AppSpec spec) {
    return checkHealth(spec).failure();
  }

  /** Why a revision is not healthy, or the addresses of its healthy instances. */
  private record Health(Optional<Failure> failure, List<String> upstreams) {
    static Health failed(Failure failure) {
      return new Health(Optional.of(failure), List.of());
    }
  }

  private Health checkHealth(AppSpec spec) {
    long start = System.nanoTime();
    long deadline = start + healthTimeout.toNanos();
    long nextPortLook = start + PORT_GRACE.toNanos();
    Optional<SortedSet<Integer>> ports = Optional.empty();
    while (true) {
      Optional<RevisionState> state = state(spec);
      Optional<Instance> exited =
          state.stream().flatMap(s -> s.instances().stream()).filter(i -> !i.running()).findFirst();
      if (exited.isPresent()) {
        Integer code = exited.get().exitCode();
        return Health.failed(new Failure(code, reason(spec, "exited with code " + code)));
      }
      List<Instance> running = state.map(RevisionState::running).orElse(List.of());
      if (running.size() == spec.replicas() && awaitProbes(running, spec, deadline)) {
        return new Health(
            Optional.empty(),
            running.stream().map(Instance::address).filter(a -> a != null).distinct().toList());
      }
      boolean late = System.nanoTime() > deadline;
      if (late || System.nanoTime() > nextPortLook) {
        nextPortLook = System.nanoTime() + PORT_LOOK_INTERVAL.toNanos();
        for (Instance instance : running) {
          ports = listening(instance);
          if (ports.isPresent() && !ports.get().isEmpty() && !ports.get().contains(spec.port())) {
            return Health.failed(
                new Failure(
                    null,
                    reason(
                        spec,
                        "listens on "
                            + portList(ports.get())
                            + ", not on its port "
                            + spec.port()
                            + MUST_LISTEN.formatted(spec.port()))));
          }
        }
      }
      if (late) {
        return Health.failed(
            new Failure(
                null,
                reason(
                    spec,
                    "did not answer its health check "
                        + spec.healthPath()
                        + " within "
                        + healthTimeout.toSeconds()
                        + " s"
                        + ports.map(open -> seen(open, spec)).orElse(""))));
      }
      pause(OBSERVE_INTERVAL);
    }
  }

  private static final String MUST_LISTEN =
      ": an app must listen on %d (images Slipway builds have it in $PORT)";

  private Optional<SortedSet<Integer>> listening(Instance instance) {
    return driver instanceof OpenPorts open ? open.listening(instance.name()) : Optional.empty();
  }

  /** What the ports seen at the deadline say about a health check that never passed. */
  private static String seen(SortedSet<Integer> open, AppSpec spec) {
    if (open.isEmpty()) {
      return "; it listens on no TCP port" + MUST_LISTEN.formatted(spec.port());
    }
    return "; it listens on "
        + portList(open)
        + ", so "
        + spec.healthPath()
        + " answered neither 2xx nor 3xx within a second";
  }

  private static String portList(SortedSet<Integer> ports) {
    return (ports.size() == 1 ? "port " : "ports ")
        + ports.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  /**
   * Whether every instance passed its health check. Instances the runtime rates itself are rated
   * once; the others are probed every {@link #PROBE_INTERVAL} until they all answer, for at most
   * {@link #REOBSERVE_AFTER} (an instance that exits meanwhile shows at the next look at the
   * runtime): looking at the runtime costs a podman call, a probe only a connection to the
   * instance.
   */
  private boolean awaitProbes(List<Instance> running, AppSpec spec, long deadline) {
    if (running.stream().anyMatch(i -> i.ready() != null || i.address() == null)) {
      return running.stream().allMatch(i -> healthy(i, spec));
    }
    long until = Math.min(deadline, System.nanoTime() + REOBSERVE_AFTER.toNanos());
    List<Instance> unanswered = new ArrayList<>(running);
    while (true) {
      unanswered.removeIf(i -> probe.healthy(i.address(), spec.healthPath()));
      if (unanswered.isEmpty()) {
        return true;
      }
      if (System.nanoTime() > until) {
        return false;
      }
      pause(PROBE_INTERVAL);
    }
  }

  /** What the runtime says about readiness, else the bridge's own probe. */
  private boolean healthy(Instance instance, AppSpec spec) {
    if (instance.ready() != null) {
      return instance.ready();
    }
    return instance.address() != null && probe.healthy(instance.address(), spec.healthPath());
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

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a revision", e);
    }
  }
}
