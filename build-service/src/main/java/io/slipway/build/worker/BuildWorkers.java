package io.slipway.build.worker;

import io.slipway.build.BuildProperties;
import io.slipway.build.kubernetes.KubernetesImageBuilds;
import io.slipway.build.queue.Build;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.sandbox.BuildSandbox;
import io.slipway.build.tenant.TenantClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The worker pool: {@code slipway.build.workers} threads, each claiming the next queued build and
 * running it. At start-up, builds left running by a previous instance are failed first, and their
 * quota released, so none stays "running" forever.
 */
@Component
class BuildWorkers implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(BuildWorkers.class);

  private final BuildProperties properties;
  private final BuildQueue queue;
  private final BuildExecutor executor;
  private final TenantClient tenants;
  private final BuildSandbox sandbox;
  private final ObjectProvider<KubernetesImageBuilds> kubernetes;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  BuildWorkers(
      BuildProperties properties,
      BuildQueue queue,
      BuildExecutor executor,
      TenantClient tenants,
      BuildSandbox sandbox,
      ObjectProvider<KubernetesImageBuilds> kubernetes) {
    this.sandbox = sandbox;
    this.kubernetes = kubernetes;
    this.properties = properties;
    this.queue = queue;
    this.executor = executor;
    this.tenants = tenants;
  }

  @Override
  public synchronized void start() {
    List<Build> resumed = resumable();
    for (Build build : queue.failInterrupted(resumed.stream().map(Build::id).toList())) {
      log.warn(
          "Build {} of {} was running when build-service stopped: failed",
          build.number(),
          build.tenant() + "/" + build.project() + "/" + build.app());
      LeftoverBuilds.stop(BuildExecutor.contextPrefix(build));
      BuildSandbox.remove(build.id());
      try {
        // present only with slipway.build.executor=kubernetes
        kubernetes.ifAvailable(jobs -> jobs.abandon(build.id()));
      } catch (RuntimeException e) {
        log.warn("Could not delete the Job of build {}: {}", build.id(), e.toString());
      }
      try {
        sandbox.removeBuildDirectories(
            BuildExecutor.sandboxOf(build), BuildExecutor.contextPrefix(build));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        tenants.releaseBuild(build.tenant(), BuildExecutor.reservationKey(build), 1);
      } catch (RuntimeException e) {
        log.warn("Could not release the quota of build {}: {}", build.id(), e.toString());
      }
    }
    running = true;
    for (int i = 0; i < properties.workers(); i++) {
      threads.add(Thread.ofVirtual().name("build-worker-" + i).start(this::work));
    }
    for (Build build : resumed) {
      log.info("Build {} has a Job: watching it again", build.id());
      threads.add(Thread.ofVirtual().name("build-resume-" + build.id()).start(() -> resume(build)));
    }
  }

  /**
   * The running builds whose Job exists (on the Kubernetes executor only): their Job goes on
   * without this service, so they are watched again rather than failed.
   */
  private List<Build> resumable() {
    KubernetesImageBuilds jobs = kubernetes.getIfAvailable();
    if (jobs == null) {
      return List.of();
    }
    List<Build> resumable = new ArrayList<>();
    for (Build build : queue.running()) {
      try {
        if (jobs.hasJob(build.id())) {
          resumable.add(build);
        }
      } catch (RuntimeException e) {
        log.warn("Could not read the Job of build {}: {}", build.id(), e.toString());
      }
    }
    return resumable;
  }

  private void resume(Build build) {
    try {
      executor.resume(build);
    } catch (RuntimeException e) {
      log.warn("Resuming build {}: {}", build.id(), e.toString());
    }
  }

  private void work() {
    while (running) {
      try {
        long seen = queue.arrivals();
        Optional<Build> build = queue.claim();
        if (build.isPresent()) {
          executor.execute(build.get());
        } else {
          queue.awaitArrival(seen, properties.pollInterval());
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("Build worker error: {}", e.toString());
        try {
          Thread.sleep(properties.pollInterval());
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  @Override
  public synchronized void stop() {
    running = false;
    threads.forEach(Thread::interrupt);
    threads.clear();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
