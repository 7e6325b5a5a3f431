package io.slipway.build.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs builds as Kubernetes Jobs rendered by {@link BuildJobRenderer}, and reads their outcome.
 *
 * <p>{@link #submit} is idempotent by build id: the Job is named after the build, so a second
 * submit (a retry, or another instance after a crash) finds the first Job instead of creating
 * another. {@link #await} blocks until the Job completes or fails (watching it) or until the
 * timeout.
 */
public final class KubernetesBuildExecutor {

  /** Where a build Job stands. */
  public enum Phase {
    RUNNING,
    SUCCEEDED,
    FAILED
  }

  /**
   * A build Job's outcome.
   *
   * @param phase running, succeeded or failed
   * @param reason why it failed (Kubernetes' reason and message), or null
   * @param digest the pushed image's digest (the push step's termination message), or null
   */
  public record JobOutcome(Phase phase, String reason, String digest) {}

  /** A digest as buildah writes it; anything else in a termination message is not one. */
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private final KubernetesClient client;
  private final BuildJobRenderer renderer;
  private final String namespace;

  public KubernetesBuildExecutor(
      KubernetesClient client, BuildJobRenderer renderer, KubernetesBuildProperties settings) {
    this.client = client;
    this.renderer = renderer;
    this.namespace = settings.namespace();
  }

  /**
   * Creates the build's Job unless it exists, then its registry Secret (owned by the Job, so
   * deleted with it; replaced when the Job existed, since {@code build} carries a newly issued
   * credential), and returns the Job as the API server has it. The pod waits for the Secret before
   * it starts.
   */
  public Job submit(BuildJob build) {
    Job job = createJob(build);
    renderer
        .registrySecret(build, job)
        .ifPresent(
            secret ->
                client
                    .secrets()
                    .inNamespace(namespace)
                    .resource(secret)
                    .createOr(NonDeletingOperation::update));
    return job;
  }

  private Job createJob(BuildJob build) {
    var jobs = client.batch().v1().jobs().inNamespace(namespace);
    Job existing = jobs.withName(build.jobName()).get();
    if (existing != null) {
      return existing;
    }
    try {
      return jobs.resource(renderer.render(build)).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return jobs.withName(build.jobName()).get();
      }
      throw e;
    }
  }

  /**
   * The build's outcome now; empty when it has no Job (never submitted, or deleted after its TTL).
   */
  public Optional<JobOutcome> outcome(UUID buildId) {
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(name(buildId)).get();
    return Optional.ofNullable(job).map(this::outcomeOf);
  }

  /** Waits until the build's Job has finished, or until {@code timeout} (then it is running). */
  public JobOutcome await(UUID buildId, Duration timeout) {
    try {
      Job job =
          client
              .batch()
              .v1()
              .jobs()
              .inNamespace(namespace)
              .withName(name(buildId))
              .waitUntilCondition(
                  j -> j == null || phase(j.getStatus()) != Phase.RUNNING,
                  timeout.toMillis(),
                  TimeUnit.MILLISECONDS);
      if (job == null) {
        return new JobOutcome(Phase.FAILED, "the build's Job was deleted", null);
      }
      return outcomeOf(job);
    } catch (KubernetesClientTimeoutException e) {
      return new JobOutcome(Phase.RUNNING, null, null);
    }
  }

  private JobOutcome outcomeOf(Job job) {
    JobStatus status = job.getStatus();
    Phase phase = phase(status);
    return switch (phase) {
      case RUNNING -> new JobOutcome(Phase.RUNNING, null, null);
      case FAILED -> new JobOutcome(Phase.FAILED, failure(status), null);
      case SUCCEEDED ->
          new JobOutcome(Phase.SUCCEEDED, null, digest(job.getMetadata().getName()).orElse(null));
    };
  }

  static Phase phase(JobStatus status) {
    if (status == null) {
      return Phase.RUNNING;
    }
    for (JobCondition condition : conditions(status)) {
      if ("True".equals(condition.getStatus())) {
        if ("Complete".equals(condition.getType())) {
          return Phase.SUCCEEDED;
        }
        if ("Failed".equals(condition.getType())) {
          return Phase.FAILED;
        }
      }
    }
    return Phase.RUNNING;
  }

  private static String failure(JobStatus status) {
    return conditions(status).stream()
        .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
        .map(c -> c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage()))
        .findFirst()
        .orElse("the build Job failed");
  }

  private static List<JobCondition> conditions(JobStatus status) {
    return status.getConditions() == null ? List.of() : status.getConditions();
  }

  /** The digest the push step wrote as its termination message. */
  private Optional<String> digest(String jobName) {
    List<Pod> pods =
        client.pods().inNamespace(namespace).withLabel("job-name", jobName).list().getItems();
    return pods.stream()
        .filter(pod -> pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null)
        .flatMap(pod -> pod.getStatus().getContainerStatuses().stream())
        .filter(s -> "push".equals(s.getName()))
        .map(ContainerStatus::getState)
        .filter(state -> state != null && state.getTerminated() != null)
        .map(state -> state.getTerminated().getMessage())
        .filter(message -> message != null && DIGEST.matcher(message.trim()).matches())
        .map(String::trim)
        .findFirst();
  }

  /**
   * Deletes the build's Job, found by its build-id label (never by a name prefix, so no other
   * build's Job can match), with background propagation: the API server then deletes its pod and,
   * through its owner reference, its registry Secret. A Job already gone is no error. Each Job
   * found is deleted by its name: a collection delete would need the chart's Role to grant {@code
   * deletecollection} on every Job of the namespace.
   */
  public void delete(UUID buildId) {
    var jobs = client.batch().v1().jobs().inNamespace(namespace);
    for (Job job :
        jobs.withLabel(BuildJobRenderer.BUILD_ID_LABEL, buildId.toString()).list().getItems()) {
      jobs.withName(job.getMetadata().getName())
          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete();
    }
  }

  /** The build's pod, found by its build-id label; empty before the Job controller made it. */
  Optional<Pod> pod(UUID buildId) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel(BuildJobRenderer.BUILD_ID_LABEL, buildId.toString())
        .list()
        .getItems()
        .stream()
        .findFirst();
  }

  /**
   * The first step of the build's pod that ended with a non-zero exit code, in plain words: {@code
   * step build exited with code 1 (Error)}, or {@code step build exited with code 137 (Error):
   * killed by signal 9 (SIGKILL)}; empty when none did (or the pod is gone).
   */
  public Optional<String> failedStep(UUID buildId) {
    return pod(buildId)
        .filter(pod -> pod.getStatus() != null)
        .flatMap(
            pod ->
                Stream.concat(
                        statuses(pod.getStatus().getInitContainerStatuses()),
                        statuses(pod.getStatus().getContainerStatuses()))
                    .filter(
                        s ->
                            s.getState() != null
                                && s.getState().getTerminated() != null
                                && s.getState().getTerminated().getExitCode() != null
                                && s.getState().getTerminated().getExitCode() != 0)
                    .findFirst())
        .map(
            s -> {
              ContainerStateTerminated ended = s.getState().getTerminated();
              return "step "
                  + s.getName()
                  + " exited with code "
                  + ended.getExitCode()
                  + (ended.getReason() == null ? "" : " (" + ended.getReason() + ")")
                  + signal(ended);
            });
  }

  /**
   * How a step killed by a signal says so: the runtime reports 128 + the signal's number as its
   * exit code (a pod deleted or evicted mid-build, or its node going away, ends it with SIGTERM
   * then SIGKILL; so does the out-of-memory killer, which the reason then names).
   */
  static String signal(ContainerStateTerminated ended) {
    Integer signal = ended.getSignal();
    if (signal == null && ended.getExitCode() > 128 && ended.getExitCode() < 160) {
      signal = ended.getExitCode() - 128;
    }
    if (signal == null || signal <= 0) {
      return "";
    }
    String name =
        switch (signal) {
          case 1 -> " (SIGHUP)";
          case 2 -> " (SIGINT)";
          case 6 -> " (SIGABRT)";
          case 9 -> " (SIGKILL)";
          case 15 -> " (SIGTERM)";
          default -> "";
        };
    return ": killed by signal " + signal + name;
  }

  private static Stream<ContainerStatus> statuses(List<ContainerStatus> statuses) {
    return statuses == null ? Stream.empty() : statuses.stream();
  }

  static String name(UUID buildId) {
    return "build-" + buildId;
  }
}
