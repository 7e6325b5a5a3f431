package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.router.Parked;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Routes a booting VM's HTTP port as soon as its guest is up, rather than on the reconciler's next
 * pass (10 s, longer than the guest's boot): a VM made, started or restarted answers the {@link
 * Parked#BOOTING} page until then. One virtual thread per boot asks every half second, under the
 * app's lock when no operation holds it, and ends once the VM's answer is anything but booting
 * (served, stopped, deleted, no VM any more) or after {@link #PATIENCE}; a guest that never says it
 * is ready stays parked as booting, and the reconciler's passes keep looking.
 */
@Component
class VmBoots implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(VmBoots.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration PATIENCE = Duration.ofMinutes(10);

  private final Deployments deployments;
  private final AppRoutes routes;
  private final ExecutorService watchers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vm-boot-", 0).factory());
  private volatile boolean closed;

  VmBoots(Deployments deployments, AppRoutes routes) {
    this.deployments = deployments;
    this.routes = routes;
  }

  /** Routes the app's VM once its guest is up; returns at once. */
  void routeOnceUp(AppRef ref) {
    if (closed) {
      return;
    }
    watchers.submit(() -> await(ref));
  }

  private void await(AppRef ref) {
    Instant deadline = Instant.now().plus(PATIENCE);
    AtomicReference<Optional<VmRoutes.Answer>> written = new AtomicReference<>();
    try {
      while (!closed && Instant.now().isBefore(deadline)) {
        if (deployments.ifIdle(ref, () -> written.set(routes.settleVm(ref)))
            && written.get().map(answer -> answer.why() != Parked.BOOTING).orElse(true)) {
          return;
        }
        Thread.sleep(POLL);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("Routing the VM of {} failed; the reconciler's next pass tries again", ref, e);
    }
  }

  /** Stops watching: a boot still under way is routed by the next bridge's pass. */
  @Override
  public void close() {
    closed = true;
    watchers.shutdownNow();
  }
}
