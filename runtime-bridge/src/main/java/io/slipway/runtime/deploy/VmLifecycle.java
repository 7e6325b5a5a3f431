package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.router.Parked;
import io.slipway.runtime.tenant.TenantApi;
import io.slipway.runtime.vm.VmRuntime;
import io.slipway.runtime.vm.VmSettings;
import io.slipway.runtime.vm.VmSpec;
import io.slipway.runtime.vm.VmStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * What happens to an app that is a VM (issue 23): made, started, stopped, restarted and deleted,
 * each under the app's lock, audited before anything runs ({@link ChangeAudit}) and told in its
 * events. A VM holds its vCPUs (1000 millicores each) and memory against the project's compute
 * quota while it runs, as an app's instance does; a stopped VM holds none. Calls are synchronous:
 * each is answered once the runtime (and, stopping, the guest) is done. The app's hosts follow: the
 * VM's HTTP port once its guest is up ({@link VmBoots}), the 503 page while it boots or is stopped,
 * parked before QEMU stops so that no route outlives the container's address.
 */
@Service
class VmLifecycle {

  private static final Logger log = LoggerFactory.getLogger(VmLifecycle.class);

  static final long MILLICORES_PER_VCPU = 1000;

  private final Deployments deployments;
  private final DeploymentStore store;
  private final VmStore vms;
  private final TenantApi tenants;
  private final ChangeAudit audit;
  private final EventLog events;
  private final ObjectProvider<VmRuntime> runtimes;
  private final AppRoutes routes;
  private final VmBoots boots;
  private final VmRestarts restarts;
  private final VmSettings settings;
  private final VmDisks disks;

  VmLifecycle(
      Deployments deployments,
      DeploymentStore store,
      VmStore vms,
      TenantApi tenants,
      ChangeAudit audit,
      EventLog events,
      ObjectProvider<VmRuntime> runtimes,
      AppRoutes routes,
      VmBoots boots,
      VmRestarts restarts,
      VmSettings settings,
      VmDisks disks) {
    this.deployments = deployments;
    this.store = store;
    this.vms = vms;
    this.tenants = tenants;
    this.audit = audit;
    this.events = events;
    this.runtimes = runtimes;
    this.routes = routes;
    this.boots = boots;
    this.restarts = restarts;
    this.settings = settings;
    this.disks = disks;
  }

  /** Whether this platform's runtime runs VMs (the podman driver and KubeVirt do). */
  boolean supported() {
    return runtimes.getIfAvailable() != null;
  }

  /** The app's VM as stored; 404 when the app is no VM. */
  VmStore.StoredVm require(AppRef ref) {
    return vms.find(ref).orElseThrow(() -> Problem.notFound("App '" + ref + "' has no VM"));
  }

  VmRuntime runtime() {
    VmRuntime found = runtimes.getIfAvailable();
    if (found == null) {
      throw Problem.conflict("vm-unsupported", "This platform's runtime cannot run VMs");
    }
    return found;
  }

  /**
   * Makes the app's VM and starts it; false when it already has this very VM (nothing changes). 409
   * {@code vm-exists} for another spec (a changed VM needs a delete: its disk goes with it), {@code
   * app-runs-containers} for an app that has revisions, and the quota's refusal as tenant-service
   * words it, which leaves no VM.
   */
  boolean create(VmDefinition vm, ChangeAudit.Intent intent) {
    VmSpec spec = vm.spec();
    AppRef ref = spec.ref();
    VmRuntime runtime = runtime();
    return deployments.locked(
        ref,
        () -> {
          var existing = vms.find(ref);
          if (existing.isPresent()) {
            if (existing.get().spec().equals(spec)
                && Objects.equals(existing.get().httpPort(), vm.httpPort())) {
              return false;
            }
            throw Problem.conflict(
                "vm-exists",
                "App '"
                    + ref
                    + "' is a VM of another spec already: delete it first (its disk goes with"
                    + " it)");
          }
          long kept = spec.hasDataDisk() ? runtime.dataDiskMib(ref).orElse(0) : 0;
          if (spec.hasDataDisk()) {
            if (kept > spec.dataDiskMib()) {
              throw Problem.conflict(
                  "data-disk-shrink",
                  "App '"
                      + ref
                      + "' kept a data disk of "
                      + kept
                      + " MiB: a VM may grow it, not shrink it to "
                      + spec.dataDiskMib()
                      + " MiB");
            }
          }
          // its disks count against the tenant's storage: a new data disk's (or what it grows by)
          // must fit, and a tenant whose storage is used up makes no VM that would write more
          tenants.requireStorage(ref.tenant(), Math.max(0, spec.dataDiskMib() - kept));
          if (store.newestAccepted(ref).isPresent() || store.live(ref).isPresent()) {
            throw Problem.conflict(
                "app-runs-containers",
                "App '"
                    + ref
                    + "' has revisions of a container image: a VM needs an app of its own");
          }
          audit.recorded(
              ref,
              intent,
              () -> {
                store.ensureApp(ref);
                vms.create(vm);
              });
          try {
            start(runtime, ref, null, false);
          } catch (RuntimeException e) {
            audit.failed(ref, intent, null, e.getMessage());
            // a data disk kept from the app's previous VM stays (its app's deletion removes it)
            runtime.delete(ref, true);
            vms.delete(ref);
            throw e;
          }
          events.normal(
              ref,
              "VmCreated",
              "VM made and started: "
                  + spec.vcpus()
                  + " vCPU, "
                  + spec.memoryMib()
                  + " MiB, image "
                  + spec.image(),
              null);
          disks.report(ref);
          return true;
        });
  }

  /**
   * Starts the VM, reserving its compute first (refused over quota, as tenant-service words it);
   * false when it runs already.
   */
  boolean start(AppRef ref, ChangeAudit.Intent intent) {
    VmRuntime runtime = runtime();
    return deployments.locked(ref, () -> start(runtime, ref, intent, true));
  }

  /** Starts the VM; {@code told}: with an event of its own (not when it is being made). */
  private boolean start(VmRuntime runtime, AppRef ref, ChangeAudit.Intent intent, boolean told) {
    VmStore.StoredVm vm = require(ref);
    // asked through the API: a new row of restarts, should it stop by itself later
    restarts.forget(ref.appId());
    boolean runs = runtime.status(ref).state() == VmStatus.State.RUNNING;
    if (vm.running() && runs && vm.reservation() != null) {
      return false;
    }
    String key = vm.reservation();
    boolean reserved = false;
    if (key == null) {
      key = "vm:" + ref.appId() + ":" + vm.incarnation() + ":g" + vms.nextGeneration(ref);
      try {
        tenants.reserve(ref, key, compute(vm.spec()));
      } catch (Problem refused) {
        events.warning(ref, "Refused", "The VM was not started: " + refused.getMessage(), null);
        throw refused;
      }
      reserved = true;
    }
    String held = key;
    try {
      audit.recorded(ref, intent, () -> vms.running(ref, held));
      runtime.start(vm.spec(), httpPort(vm));
    } catch (RuntimeException e) {
      vms.stopped(ref);
      if (reserved) {
        tenants.release(ref.tenant(), held);
        vms.released(ref);
      }
      events.warning(ref, "VmFailed", "The VM did not start: " + e.getMessage(), null);
      audit.failed(ref, intent, null, e.getMessage());
      throw e;
    }
    routeOnceUp(ref);
    if (told) {
      events.normal(ref, "VmStarted", "VM started", null);
    }
    return true;
  }

  /**
   * Stops the VM gracefully ({@link VmRuntime#stop}) and releases its compute; false when it was
   * stopped already.
   */
  boolean stop(AppRef ref, ChangeAudit.Intent intent) {
    VmRuntime runtime = runtime();
    return deployments.locked(
        ref,
        () -> {
          VmStore.StoredVm vm = require(ref);
          if (!vm.running() && vm.reservation() == null) {
            return false;
          }
          audit.recorded(ref, intent, () -> vms.stopped(ref));
          restarts.forget(ref.appId());
          // before QEMU stops: its container's address is given up with it
          routes.announce(ref, Parked.STOPPED);
          VmRuntime.Stopped how = runtime.stop(ref);
          release(ref, vm);
          events.normal(ref, "VmStopped", "VM stopped: " + stopped(how), null);
          return true;
        });
  }

  /** Powers the VM off and boots it again, keeping its compute; 409 when it is stopped. */
  void restart(AppRef ref, ChangeAudit.Intent intent) {
    VmRuntime runtime = runtime();
    deployments.locked(
        ref,
        () -> {
          VmStore.StoredVm vm = require(ref);
          if (!vm.running()) {
            throw Problem.conflict(
                "vm-not-running", "App '" + ref + "''s VM is stopped: start it instead");
          }
          audit.recorded(ref, intent, () -> {});
          restarts.forget(ref.appId());
          if (vm.httpPort() != null) {
            routes.announce(ref, Parked.BOOTING);
          }
          VmRuntime.Stopped how = runtime.restart(vm.spec(), httpPort(vm));
          routeOnceUp(ref);
          events.normal(
              ref, "VmRestarted", "VM restarted: " + stopped(how) + ", booted again", null);
          return null;
        });
  }

  /**
   * Deletes the app's VM, whatever it does: its container and volumes (the disk, the data disk),
   * its reservation and its row; used when the app goes, so a data disk kept by an earlier {@link
   * #delete(AppRef, boolean, ChangeAudit.Intent)} goes too. The intent (null: none) is recorded
   * first.
   */
  void delete(AppRef ref, ChangeAudit.Intent intent) {
    boolean hadVm = vms.exists(ref);
    delete(ref, false, intent);
    VmRuntime runtime = runtimes.getIfAvailable();
    // what no VM row speaks for: a data disk an earlier VM's deletion kept (asked only then, so an
    // app that never was a VM costs one look, not a deletion and a storage report)
    if (!hadVm && runtime != null && runtime.dataDiskMib(ref).isPresent()) {
      runtime.delete(ref);
      disks.report(ref); // no longer the tenant's storage
    }
  }

  /**
   * Deletes the app's VM as {@link #delete(AppRef, ChangeAudit.Intent)} does; {@code keepDataDisk}:
   * but its data disk, which the app's next VM with a data disk mounts again. Nothing to do for an
   * app that is no VM.
   */
  void delete(AppRef ref, boolean keepDataDisk, ChangeAudit.Intent intent) {
    deployments.locked(
        ref,
        () -> {
          vms.find(ref)
              .ifPresent(
                  vm -> {
                    audit.recorded(ref, intent, () -> {});
                    // before the container goes with its address; an app that was a VM has no
                    // revision (a VM needs an app of its own): its app's deletion then unroutes it
                    routes.announce(ref, Parked.NOT_DEPLOYED);
                    VmRuntime runtime = runtimes.getIfAvailable();
                    if (runtime != null) {
                      runtime.delete(ref, keepDataDisk);
                    }
                    release(ref, vm);
                    vms.delete(ref);
                    restarts.forget(ref.appId());
                    disks.report(ref);
                    events.normal(
                        ref,
                        "VmDeleted",
                        keepDataDisk && vm.spec().hasDataDisk()
                            ? "VM deleted with its disk; its data disk is kept for the app's next"
                                + " VM"
                            : "VM deleted with its disks",
                        null);
                  });
          return null;
        });
  }

  /**
   * Starts again a VM that should run but does not (KubeVirt's {@code Always} run strategy): its
   * QEMU exited without the API asking (the guest crashed or powered itself off, QEMU failed or was
   * killed, the host or the bridge restarted) or its container is gone. It keeps the compute it
   * held (or reserves it again, refused with a {@code Refused} event when the quota is full now),
   * is told in a {@code VmExited} warning and a {@code VmRestarted} event naming the next attempt,
   * and is started again at once, or after the back-off of a VM that keeps stopping ({@link
   * VmRestarts}). Skipped while another operation on the app is under way, here or on another
   * replica (the next pass looks again).
   */
  void settle(AppRef ref) {
    VmRuntime runtime = runtimes.getIfAvailable();
    if (runtime == null) {
      return;
    }
    deployments.ifIdle(
        ref,
        () -> {
          VmStore.StoredVm vm = vms.find(ref).orElse(null);
          if (vm == null || !vm.running()) {
            return;
          }
          VmStatus status = runtime.status(ref);
          if (status.state() == VmStatus.State.RUNNING) {
            return;
          }
          String why = exited(status);
          Instant now = Instant.now();
          Instant due = restarts.due(ref.appId(), now);
          if (due.isAfter(now)) {
            if (restarts.tell(ref.appId())) {
              routes.announce(ref, Parked.STOPPED);
              events.warning(
                  ref,
                  "VmExited",
                  "The VM stopped without being asked ("
                      + why
                      + "): it stopped again soon after"
                      + " its last restart, the next attempt is at "
                      + due,
                  null);
            }
            return;
          }
          startAgain(runtime, ref, vm, why, now);
        });
  }

  private void startAgain(
      VmRuntime runtime, AppRef ref, VmStore.StoredVm vm, String why, Instant now) {
    boolean told = restarts.told(ref.appId());
    int count = restarts.restarted(ref.appId(), now);
    Instant next = now.plus(VmRestarts.delay(count));
    if (!told) {
      events.warning(
          ref,
          "VmExited",
          "The VM stopped without being asked (" + why + "): starting it again",
          null);
    }
    if (vm.reservation() == null) {
      String key = "vm:" + ref.appId() + ":" + vm.incarnation() + ":g" + vms.nextGeneration(ref);
      try {
        tenants.reserve(ref, key, compute(vm.spec()));
      } catch (Problem refused) {
        routes.announce(ref, Parked.STOPPED);
        events.warning(
            ref,
            "Refused",
            "The VM was not started again: "
                + refused.getMessage()
                + "; the next attempt is at "
                + next,
            null);
        return;
      }
      vms.running(ref, key);
    }
    try {
      runtime.start(vm.spec(), httpPort(vm));
    } catch (RuntimeException e) {
      routes.announce(ref, Parked.STOPPED);
      events.warning(
          ref,
          "VmFailed",
          "The VM did not start again: " + e.getMessage() + "; the next attempt is at " + next,
          null);
      return;
    }
    routeOnceUp(ref);
    events.normal(
        ref,
        "VmRestarted",
        "VM started again after it stopped without being asked ("
            + why
            + "), restart "
            + count
            + " in a row; should it stop again, the next attempt is at "
            + next,
        null);
  }

  /** Why a VM that should run does not, in words. */
  private static String exited(VmStatus status) {
    return status
        .exitCode()
        .map(
            code ->
                "QEMU's exit code "
                    + code
                    + switch (code) {
                      case 0 -> ": the guest powered itself off";
                      case 137 -> ": QEMU was killed";
                      default -> ": QEMU failed";
                    })
        .orElse("its container is gone");
  }

  /**
   * Routes the VM as it is now (booting, or no HTTP port) and its HTTP port once the guest is up. A
   * router that cannot be told now does not undo the start: the reconciler's next pass tells it.
   */
  private void routeOnceUp(AppRef ref) {
    try {
      routes.settleVm(ref);
    } catch (RuntimeException e) {
      log.warn("{} could not be routed yet: {}", ref, e.getMessage());
    }
    boots.routeOnceUp(ref);
  }

  private void release(AppRef ref, VmStore.StoredVm vm) {
    if (vm.reservation() != null) {
      tenants.release(ref.tenant(), vm.reservation());
      vms.released(ref);
    }
  }

  private static OptionalInt httpPort(VmStore.StoredVm vm) {
    return vm.httpPort() == null ? OptionalInt.empty() : OptionalInt.of(vm.httpPort());
  }

  /**
   * What the VM holds while it runs: its vCPUs as millicores, its guest memory with QEMU's own
   * overhead (both are in its container's memory limit, so both are taken from the host), one
   * replica.
   */
  TenantApi.Compute compute(VmSpec spec) {
    return new TenantApi.Compute(spec.vcpus() * MILLICORES_PER_VCPU, reservedMemoryMib(spec), 1);
  }

  /** The memory a VM holds while it runs: its guest's and QEMU's overhead. */
  int reservedMemoryMib(VmSpec spec) {
    return spec.memoryMib() + settings.qemuOverheadMib();
  }

  /** The audit's and events' words for the VM's spec: never its user-data. */
  static Map<String, Object> details(VmDefinition vm) {
    VmSpec spec = vm.spec();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("vcpus", spec.vcpus());
    details.put("memoryMib", spec.memoryMib());
    details.put("image", spec.image());
    details.put("ports", spec.ports());
    if (spec.hasDataDisk()) {
      details.put("dataDiskMib", spec.dataDiskMib());
    }
    if (vm.httpPort() != null) {
      details.put("httpPort", vm.httpPort());
    }
    return details;
  }

  private static String stopped(VmRuntime.Stopped how) {
    return switch (how) {
      case POWERED_OFF -> "the guest powered off";
      case QUIT -> "the guest did not power off in time, QEMU was ended";
      case KILLED -> "QEMU did not answer, its container was killed";
      case HALTED -> "the runtime halted it";
      case NOT_RUNNING -> "it was not running";
    };
  }
}
