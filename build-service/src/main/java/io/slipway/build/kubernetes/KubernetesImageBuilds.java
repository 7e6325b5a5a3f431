package io.slipway.build.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Build the image" on Kubernetes, for a worker that has done everything else a build needs: runs a
 * {@link BuildJob} to its end. Submits the Job (once per build id: {@link
 * KubernetesBuildExecutor#submit}), streams its pod's log into {@code log} as it comes ({@link
 * BuildJobLog}), and watches for its end, for the build being cancelled (the Job is then deleted)
 * and for the build timeout (the Job's own {@code activeDeadlineSeconds}; should the cluster not
 * end it, for example a pod never scheduled, it is deleted {@link #GRACE} later). Blocks the
 * calling worker until then. Whatever the ending, the build's push credential is revoked.
 */
public final class KubernetesImageBuilds {

  /** How a build Job ended. */
  public enum Ending {
    SUCCEEDED,
    FAILED,
    CANCELLED,
    TIMED_OUT
  }

  /**
   * A build Job's ending.
   *
   * @param ending how it ended
   * @param digest the pushed image's digest when it succeeded, else null
   * @param reason why it failed, in plain words (the Job's condition, the failing step and its exit
   *     code), else null
   */
  public record Result(Ending ending, String digest, String reason) {}

  /** How long past the build timeout the Job may still run before this deletes it. */
  static final Duration GRACE = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(KubernetesImageBuilds.class);
  private static final Duration LOG_DRAIN = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final KubernetesBuildExecutor jobs;
  private final Consumer<UUID> revokeCredential;
  private final String namespace;
  private final Duration poll;

  /**
   * @param revokeCredential ends a build's push credential ({@code BuildPushCredentials::revoke})
   * @param poll how often the Job's and its pod's status are read
   */
  public KubernetesImageBuilds(
      KubernetesClient client,
      KubernetesBuildExecutor jobs,
      Consumer<UUID> revokeCredential,
      KubernetesBuildProperties settings,
      Duration poll) {
    this.client = client;
    this.jobs = jobs;
    this.revokeCredential = revokeCredential;
    this.namespace = settings.namespace();
    this.poll = poll;
  }

  /** The settings' namespace, for the build's log. */
  public String namespace() {
    return namespace;
  }

  /**
   * Runs {@code build}'s Job to its end, its pod's log to {@code log}; {@code cancelled} is asked
   * every poll interval.
   */
  public Result run(BuildJob build, Consumer<String> log, BooleanSupplier cancelled)
      throws InterruptedException {
    try {
      jobs.submit(build);
      log.accept("Submitted Job " + build.jobName() + " in namespace " + namespace);
      return await(build, log, cancelled);
    } finally {
      revokeCredential.accept(build.buildId());
    }
  }

  /**
   * A build this service was running when it stopped, and which has been failed: deletes its Job
   * (by its build-id label) and revokes its push credential, so it does not run on unwatched.
   */
  public void abandon(UUID buildId) {
    try {
      jobs.delete(buildId);
    } finally {
      revokeCredential.accept(buildId);
    }
  }

  private Result await(BuildJob build, Consumer<String> sink, BooleanSupplier cancelled)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(build.timeout()).plus(GRACE);
    BuildJobLog podLog = new BuildJobLog(client, jobs, namespace, poll);
    Thread follower =
        Thread.ofVirtual()
            .name("build-log-" + build.buildId())
            .start(
                () -> {
                  try {
                    podLog.follow(build.buildId(), sink, () -> ended(build));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } catch (RuntimeException e) {
                    log.warn("Following the log of build {}: {}", build.buildId(), e.toString());
                  }
                });
    try {
      while (true) {
        if (cancelled.getAsBoolean()) {
          jobs.delete(build.buildId());
          return new Result(Ending.CANCELLED, null, null);
        }
        var outcome = jobs.outcome(build.buildId());
        if (outcome.isEmpty()) {
          return new Result(
              Ending.FAILED,
              null,
              "the build's Job " + build.jobName() + " was deleted before it ended");
        }
        if (outcome.get().phase() != KubernetesBuildExecutor.Phase.RUNNING) {
          // the last lines belong in the log before the failure that quotes them
          follower.join(LOG_DRAIN);
          return ending(build, outcome.get());
        }
        if (Instant.now().isAfter(deadline)) {
          jobs.delete(build.buildId());
          return new Result(Ending.TIMED_OUT, null, null);
        }
        Thread.sleep(poll);
      }
    } finally {
      podLog.stop();
      follower.interrupt();
    }
  }

  private boolean ended(BuildJob build) {
    return jobs.outcome(build.buildId())
        .map(o -> o.phase() != KubernetesBuildExecutor.Phase.RUNNING)
        .orElse(true);
  }

  private Result ending(BuildJob build, KubernetesBuildExecutor.JobOutcome outcome) {
    if (outcome.phase() == KubernetesBuildExecutor.Phase.SUCCEEDED) {
      if (outcome.digest() == null) {
        return new Result(
            Ending.FAILED,
            null,
            "the build's Job completed, but its push step reported no image digest");
      }
      return new Result(Ending.SUCCEEDED, outcome.digest(), null);
    }
    String step = jobs.failedStep(build.buildId()).map(s -> "; " + s).orElse("");
    return new Result(Ending.FAILED, null, "the build's Job failed: " + outcome.reason() + step);
  }
}
