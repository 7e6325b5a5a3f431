package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Looks at every VM that should run, on the reconciler's interval: one that no longer does is
 * started again, with a back-off when it keeps stopping ({@link VmLifecycle#settle}). Its first
 * pass after the bridge started brings back the VMs that stopped while it was down (a host
 * restart).
 */
@Component
class VmWatch {

  private static final Logger log = LoggerFactory.getLogger(VmWatch.class);

  private final VmStore vms;
  private final VmLifecycle lifecycle;
  private final VmDisks disks;

  VmWatch(VmStore vms, VmLifecycle lifecycle, VmDisks disks) {
    this.vms = vms;
    this.lifecycle = lifecycle;
    this.disks = disks;
  }

  @Scheduled(
      fixedDelayString = "${slipway.runtime.reconcile-interval:10s}",
      initialDelayString = "${slipway.runtime.reconcile-interval:10s}")
  void scheduled() {
    try {
      pass();
    } catch (RuntimeException e) {
      log.warn("Looking at the VMs failed; trying again on the next pass: {}", e.getMessage());
    }
  }

  /** One look at every VM that should run, then at every tenant's VM disks ({@link VmDisks}). */
  void pass() {
    if (!lifecycle.supported()) {
      return;
    }
    for (AppRef ref : vms.running()) {
      try {
        lifecycle.settle(ref);
      } catch (RuntimeException e) {
        log.warn("Looking at the VM of {} failed: {}", ref, e.getMessage());
      }
    }
    disks.reportAll();
  }
}
