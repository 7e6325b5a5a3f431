package io.slipway.runtime.vm;

import io.slipway.runtime.model.AppRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What runs the platform's VMs (docs/vms.md): {@link PodmanVms} on the podman driver (QEMU in a
 * container per VM), {@code KubevirtVms} on the kubernetes driver (a KubeVirt VirtualMachine per
 * VM). The bridge's VM API, routes and console speak to this seam alone.
 *
 * <p>Every call is synchronous and idempotent: it returns once the runtime has done what it says (a
 * start once the VM is made and asked to run, a stop once the guest is gone), and a second call
 * finds the work done and changes nothing. A VM is named by its app's immutable ids, so two
 * tenants' VMs never share a name.
 */
public interface VmRuntime {

  /** How a stop ended. */
  enum Stopped {
    /** The guest powered itself off after the ACPI power button. */
    POWERED_OFF,
    /** The guest did not power off within the grace period; QMP's {@code quit} ended QEMU. */
    QUIT,
    /** QEMU did not answer on QMP; its container was killed. */
    KILLED,
    /**
     * The runtime halted it and does not say how (KubeVirt: the ACPI button, then the launcher
     * pod's end after the VM's grace period).
     */
    HALTED,
    /** There was nothing running to stop. */
    NOT_RUNNING
  }

  /**
   * Makes the VM when it has none and runs it; a running VM is left as it is. A stopped VM boots
   * again on the disk it had (a changed spec needs a {@link #delete} first).
   *
   * @param httpPort the exposed port the app's hosts route to, when it has one (a runtime whose
   *     router reaches the VM through an object of its own, as a Kubernetes Service, points it
   *     there)
   */
  void start(VmSpec spec, OptionalInt httpPort);

  /**
   * What the VM is doing now; {@link VmStatus.State#ABSENT} when it was never made or is deleted.
   */
  VmStatus status(AppRef ref);

  /** Stops the VM gracefully, keeping its disk; returns once the guest is gone. */
  Stopped stop(AppRef ref);

  /**
   * Powers the VM off and boots it again on the same disk. The default stops and starts it; a
   * runtime with a restart of its own uses it.
   */
  default Stopped restart(VmSpec spec, OptionalInt httpPort) {
    Stopped how = stop(spec.ref());
    start(spec, httpPort);
    return how;
  }

  /** Removes the VM and everything made for it: nothing is left. Nothing to do for none. */
  void delete(AppRef ref);

  /**
   * As {@link #delete(AppRef)}; {@code keepDataDisk}: but the VM's persistent data disk, which the
   * app's next VM with a data disk mounts again. A runtime without data disks deletes all.
   */
  default void delete(AppRef ref, boolean keepDataDisk) {
    delete(ref);
  }

  /**
   * Why {@code image} is no containerDisk this runtime boots (no disk under {@code /disk/}, no
   * kernel, ...), asked before a VM of a tenant's image is made; empty when it is one, or when the
   * runtime cannot tell before booting it.
   */
  default Optional<String> diskProblem(AppRef ref, String image) {
    return Optional.empty();
  }

  /**
   * The size in MiB of the app's data disk as the runtime holds it (its VM's, or one kept by an
   * earlier VM's deletion); empty when it has none.
   */
  default OptionalLong dataDiskMib(AppRef ref) {
    return OptionalLong.empty();
  }

  /**
   * Where the VM's exposed port answers on its project's network ({@code ip:port}); empty unless it
   * runs.
   */
  Optional<String> address(AppRef ref, int port);

  /**
   * Attaches a session to the running VM's serial console; only a session with {@code mayType}
   * reaches the guest's input. A runtime without a console answers as one whose VM cannot be
   * reached.
   *
   * @throws UncheckedIOException when the console cannot be reached
   */
  default VmConsole.Session console(AppRef ref, VmConsole.Listener listener, boolean mayType) {
    throw new UncheckedIOException(
        new IOException("this runtime streams no serial console for VM " + ref));
  }
}
