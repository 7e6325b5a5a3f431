package io.slipway.build.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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
 * calling worker until then. When it has ended, its Job is deleted (the API server's garbage
 * collector takes its pod and registry Secret with it: the log and the outcome are the build's by
 * then, and a failed or killed pod leaves nothing behind) and the build's push credential is
 * revoked. When this service stops meanwhile (the worker is interrupted), the Job runs on with its
 * credential, and the next start watches it again ({@link #resume}) instead of failing the build.
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

  /** How long the API server may fail to answer before the build fails for it. */
  static final Duration API_PATIENCE = Duration.ofMinutes(1);

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
    } catch (RuntimeException e) {
      // a submit cut short, by the stop or not, leaves no Job: one without its registry Secret
      // would wait for it until its deadline
      boolean stopped = stoppedBy(e);
      end(build.buildId(), true);
      if (stopped) {
        throw new InterruptedException("stopped while submitting the Job: " + e.getMessage());
      }
      throw e;
    }
    log.accept("Submitted Job " + build.jobName() + " in namespace " + namespace);
    return watch(build.buildId(), build.timeout(), log, cancelled);
  }

  /** Whether the build has a Job, running or finished (and not yet deleted after its TTL). */
  public boolean hasJob(UUID buildId) {
    return jobs.outcome(buildId).isPresent();
  }

  /**
   * Watches the Job of a build this service was running when it stopped, as {@link #run} does after
   * its submit: nothing is submitted, so no second Job is made, and the pod keeps the push
   * credential it has. The deadline is counted from now, {@code timeout} later at most than the
   * Job's own.
   */
  public Result resume(
      UUID buildId, Duration timeout, Consumer<String> log, BooleanSupplier cancelled)
      throws InterruptedException {
    log.accept("Watching Job " + KubernetesBuildExecutor.name(buildId) + " again");
    return watch(buildId, timeout, log, cancelled);
  }

  /**
   * Awaits the Job's ending, then deletes it and revokes the build's credential. Interrupted (this
   * service is stopping), it leaves the Job and its credential be: the next start watches it again
   * ({@link #resume}). Any other failure deletes the Job, which must not go on to push unwatched.
   */
  private Result watch(
      UUID buildId, Duration timeout, Consumer<String> log, BooleanSupplier cancelled)
      throws InterruptedException {
    Result result;
    try {
      result = await(buildId, timeout, log, cancelled);
    } catch (RuntimeException e) {
      if (stoppedBy(e)) {
        // a call cut short by the stop: thrown as an interrupt is, with the flag cleared
        throw new InterruptedException("stopped while watching the Job: " + e.getMessage());
      }
      end(buildId, true);
      throw e;
    }
    end(buildId, true);
    return result;
  }

  /**
   * A build this service was running when it stopped, and which has been failed: deletes its Job
   * (by its build-id label) and revokes its push credential, so it does not run on unwatched.
   */
  public void abandon(UUID buildId) {
    end(buildId, true);
  }

  private void end(UUID buildId, boolean deleteJob) {
    try {
      if (deleteJob) {
        jobs.delete(buildId);
      }
    } catch (RuntimeException e) {
      log.warn("Could not delete the Job of build {}: {}", buildId, e.toString());
    } finally {
      revokeCredential.accept(buildId);
    }
  }

  private Result await(
      UUID buildId, Duration timeout, Consumer<String> sink, BooleanSupplier cancelled)
      throws InterruptedException {
    String jobName = KubernetesBuildExecutor.name(buildId);
    Instant deadline = Instant.now().plus(timeout).plus(GRACE);
    BuildJobLog podLog = new BuildJobLog(client, jobs, namespace, poll);
    Thread follower =
        Thread.ofVirtual()
            .name("build-log-" + buildId)
            .start(
                () -> {
                  try {
                    podLog.follow(buildId, sink, () -> ended(buildId));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } catch (RuntimeException e) {
                    if (!podLog.stopped()) {
                      log.warn("Following the log of build {}: {}", buildId, e.toString());
                    }
                  }
                });
    Instant answered = Instant.now();
    try {
      while (true) {
        if (cancelled.getAsBoolean()) {
          jobs.delete(buildId);
          return new Result(Ending.CANCELLED, null, null);
        }
        Optional<KubernetesBuildExecutor.JobOutcome> outcome;
        try {
          outcome = jobs.outcome(buildId);
          answered = Instant.now();
        } catch (KubernetesClientException e) {
          if (stoppedBy(e)) {
            throw new InterruptedException("stopped while watching the Job: " + e.getMessage());
          }
          if (Instant.now().isAfter(answered.plus(API_PATIENCE))) {
            throw e;
          }
          Thread.sleep(poll);
          continue;
        }
        if (outcome.isEmpty()) {
          return new Result(
              Ending.FAILED, null, "the build's Job " + jobName + " was deleted before it ended");
        }
        if (outcome.get().phase() != KubernetesBuildExecutor.Phase.RUNNING) {
          // the last lines belong in the log before the failure that quotes them
          follower.join(LOG_DRAIN);
          return ending(buildId, outcome.get());
        }
        if (Instant.now().isAfter(deadline)) {
          jobs.delete(buildId);
          return new Result(Ending.TIMED_OUT, null, null);
        }
        Thread.sleep(poll);
      }
    } finally {
      podLog.stop();
      follower.interrupt();
    }
  }

  /**
   * Whether {@code e} is the stop (this thread interrupted): the flag, cleared here, or an
   * interrupt the client turned into the exception's cause (a virtual thread's socket is closed
   * when it is interrupted, and the flag may be gone by then).
   */
  private static boolean stoppedBy(RuntimeException e) {
    boolean stopped = Thread.interrupted();
    for (Throwable cause = e; cause != null && !stopped; cause = cause.getCause()) {
      stopped =
          cause instanceof InterruptedException
              || cause instanceof java.io.InterruptedIOException
              || cause instanceof java.nio.channels.ClosedByInterruptException;
    }
    return stopped;
  }

  private boolean ended(UUID buildId) {
    try {
      return jobs.outcome(buildId)
          .map(o -> o.phase() != KubernetesBuildExecutor.Phase.RUNNING)
          .orElse(true);
    } catch (KubernetesClientException e) {
      return false; // the API server did not answer this time: the Job is asked again
    }
  }

  private Result ending(UUID buildId, KubernetesBuildExecutor.JobOutcome outcome) {
    if (outcome.phase() == KubernetesBuildExecutor.Phase.SUCCEEDED) {
      if (outcome.digest() == null) {
        return new Result(
            Ending.FAILED,
            null,
            "the build's Job completed, but its push step reported no image digest");
      }
      return new Result(Ending.SUCCEEDED, outcome.digest(), null);
    }
    String step = jobs.failedStep(buildId).map(s -> "; " + s).orElse("");
    return new Result(Ending.FAILED, null, "the build's Job failed: " + outcome.reason() + step);
  }
}
