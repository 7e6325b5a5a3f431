package io.slipway.build.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.slipway.build.process.LineSplitter;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Streams a build pod's log into the build's log as it comes, step by step in the order the pod
 * runs them. Each step is followed with fabric8's {@code watchLog} ({@code GET .../log?follow=true}
 * of that container): one request that the API server holds open and feeds until the container
 * ends, so a line reaches the build's log when the kubelet has it. {@code getLog} would return the
 * whole log so far on every call: following it live would mean polling and sending the same bytes
 * again each time. A step is followed once the pod's status says it started (a log request for a
 * container still waiting is refused); a step that never starts (one before it failed, or the Job
 * ended) ends the following. The pod's output is the tenant's: it is only cut into lines ({@link
 * LineSplitter}, which bounds a line's length) and appended, never interpreted.
 */
final class BuildJobLog {

  /** The pod's containers, in the order they run (three init containers, then the push). */
  static final List<String> STEPS = List.of("context-fetch", "context-unpack", "build", "push");

  private final KubernetesClient client;
  private final KubernetesBuildExecutor jobs;
  private final String namespace;
  private final Duration poll;
  private volatile LogWatch current;
  private volatile boolean stopped;

  BuildJobLog(
      KubernetesClient client, KubernetesBuildExecutor jobs, String namespace, Duration poll) {
    this.client = client;
    this.jobs = jobs;
    this.namespace = namespace;
    this.poll = poll;
  }

  /**
   * Follows every step of the build's pod into {@code sink} until the last has ended, one did not
   * start before {@code ended} turned true, or {@link #stop} was called.
   */
  void follow(UUID buildId, Consumer<String> sink, BooleanSupplier ended)
      throws InterruptedException {
    for (String step : STEPS) {
      Optional<Pod> started = awaitStart(buildId, step, ended);
      if (started.isEmpty() || stopped) {
        return;
      }
      stream(started.get().getMetadata().getName(), step, sink);
    }
  }

  /** Whether {@link #stop} was called. */
  boolean stopped() {
    return stopped;
  }

  /** Ends the following: closes the log request open now, if any. */
  void stop() {
    stopped = true;
    LogWatch watch = current;
    if (watch != null) {
      watch.close();
    }
  }

  private Optional<Pod> awaitStart(UUID buildId, String step, BooleanSupplier ended)
      throws InterruptedException {
    while (!stopped) {
      // read before the pod, so a step that ended just before the Job did is still followed
      boolean over = ended.getAsBoolean();
      Optional<Pod> pod = jobs.pod(buildId);
      if (pod.filter(p -> started(p, step)).isPresent()) {
        return pod;
      }
      if (over) {
        return Optional.empty();
      }
      Thread.sleep(poll);
    }
    return Optional.empty();
  }

  private void stream(String pod, String step, Consumer<String> sink) {
    LineSplitter lines = new LineSplitter(sink);
    try (LogWatch watch =
        client.pods().inNamespace(namespace).withName(pod).inContainer(step).watchLog()) {
      current = watch;
      if (stopped) {
        return;
      }
      InputStream in = watch.getOutput();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        lines.accept(buffer, n);
      }
    } catch (IOException | KubernetesClientException e) {
      if (!stopped) {
        sink.accept("(the log of step " + step + " could not be read: " + e.getMessage() + ")");
      }
    } finally {
      current = null;
      lines.finish();
    }
  }

  private static boolean started(Pod pod, String step) {
    if (pod.getStatus() == null) {
      return false;
    }
    return Stream.of(
            pod.getStatus().getInitContainerStatuses(), pod.getStatus().getContainerStatuses())
        .filter(statuses -> statuses != null)
        .flatMap(List::stream)
        .filter(status -> step.equals(status.getName()))
        .map(ContainerStatus::getState)
        .anyMatch(BuildJobLog::runningOrEnded);
  }

  private static boolean runningOrEnded(ContainerState state) {
    return state != null && (state.getRunning() != null || state.getTerminated() != null);
  }
}
