package io.slipway.build.worker;

import io.slipway.build.BuildProperties;
import io.slipway.build.queue.Build;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.queue.OwedDeploys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends the deploy requests that succeeded builds owe ({@link OwedDeploys}) through the {@link
 * Deployer}, in build order per app: one chain of virtual threads per app, so that a request leaves
 * the build worker at once (it goes on to the next build) but reaches runtime-bridge after the
 * app's earlier ones. A request left without an answer (runtime-bridge unreachable or failing, or
 * this service stopped first) stays owed, and every {@value #RESEND_SECONDS} s the latest owed
 * build of each app is sent again, unless this instance is sending it at that moment. Delivery is
 * at least once; the deployer is idempotent by build id.
 */
@Component
class DeployOutbox {

  static final long RESEND_SECONDS = 15;

  private static final Logger log = LoggerFactory.getLogger(DeployOutbox.class);
  private static final Executor DEPLOYS = Executors.newVirtualThreadPerTaskExecutor();
  // another instance does not claim a resent request before this, so that one instance at a time
  // sends it while runtime-bridge is down
  private static final Duration CLAIM_LEASE = Duration.ofSeconds(RESEND_SECONDS);
  private static final int RESEND_BATCH = 100;

  private final BuildProperties properties;
  private final BuildQueue queue;
  private final OwedDeploys owed;
  private final Deployer deployer;

  /** The last request of each app, which the next one waits for. */
  private final Map<String, CompletableFuture<Void>> chains = new ConcurrentHashMap<>();

  /** The builds whose request this instance is sending or about to send. */
  private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();

  DeployOutbox(BuildProperties properties, BuildQueue queue, OwedDeploys owed, Deployer deployer) {
    this.properties = properties;
    this.queue = queue;
    this.owed = owed;
    this.deployer = deployer;
  }

  /** Sends the deploy request of a build that has just succeeded (and so owes one). */
  void send(Build build, String image, String digest) {
    enqueue(build, image, digest, false);
  }

  @Scheduled(initialDelay = 5, fixedDelay = RESEND_SECONDS, timeUnit = TimeUnit.SECONDS)
  void resendOwed() {
    // an instance that runs no builds sends no deploys (and tests driving the queue by hand run
    // undisturbed); the instances that build resend every app's
    if (properties.workers() == 0) {
      return;
    }
    try {
      resend();
    } catch (RuntimeException e) {
      log.warn("Could not look for owed deploy requests: {}", e.toString());
    }
  }

  /**
   * Claims the owed requests this instance is not sending and sends them again, each after its
   * app's requests in flight; returns how many.
   */
  int resend() {
    List<Build> builds = owed.claim(Set.copyOf(inFlight), CLAIM_LEASE, RESEND_BATCH);
    for (Build build : builds) {
      log.info("Sending the deploy request of build {} of {} again", build.id(), app(build));
      enqueue(build, build.image(), build.digest(), true);
    }
    return builds.size();
  }

  private void enqueue(Build build, String image, String digest, boolean again) {
    if (!inFlight.add(build.id())) {
      return;
    }
    String app = app(build);
    CompletableFuture<Void> request =
        chains.compute(
            app,
            (key, previous) ->
                (previous == null
                        ? CompletableFuture.completedFuture(null)
                        : previous.handle((ok, failure) -> null))
                    .thenRunAsync(() -> deliver(build, image, digest, again), DEPLOYS));
    request.whenComplete(
        (ok, failure) -> {
          if (failure != null) {
            // e.g. the database unreachable: the request stays owed and is sent again
            log.warn(
                "Deploy request of build {} of {} failed: {}", build.id(), app, failure.toString());
          }
          inFlight.remove(build.id());
          // forget the app once its last request is done (unless another came meanwhile)
          chains.remove(app, request);
        });
  }

  private void deliver(Build build, String image, String digest, boolean again) {
    switch (owed.state(build.id())) {
      case SETTLED -> {
        return; // answered meanwhile, through another instance
      }
      case SUPERSEDED -> {
        owed.settle(build.id(), "superseded", null, null, null);
        logLine(build, "deploy not requested: a newer build of this app has succeeded");
        return;
      }
      case OWED -> {}
    }
    try {
      Deployer.Outcome outcome =
          deployer.deploy(
              new Deployer.Deployment(
                  build.tenant(),
                  build.project(),
                  build.app(),
                  image,
                  digest,
                  build.id().toString(),
                  build.number(),
                  build.commitId(),
                  build.fork()));
      owed.settle(
          build.id(), outcome.status(), outcome.revision(), outcome.url(), outcome.reason());
      logLine(build, again ? outcome.line() + " (request sent again)" : outcome.line());
    } catch (Deployer.Refused e) {
      owed.settle(build.id(), "refused", null, null, e.getMessage());
      log.warn("Build {} of {} is not deployed: {}", build.id(), app(build), e.getMessage());
      logLine(build, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("Deploy request of build {} of {} failed: {}", build.id(), app(build), e.toString());
      if (!again) {
        // once: the log would otherwise grow by a line per resend while runtime-bridge is down
        logLine(
            build,
            "deploy request failed: "
                + e.getMessage()
                + "; it is sent again every "
                + RESEND_SECONDS
                + " s until runtime-bridge answers");
      }
    }
  }

  private void logLine(Build build, String line) {
    queue.appendLog(build.id(), line + "\n");
  }

  private static String app(Build build) {
    return build.tenant() + "/" + build.project() + "/" + build.app();
  }
}
