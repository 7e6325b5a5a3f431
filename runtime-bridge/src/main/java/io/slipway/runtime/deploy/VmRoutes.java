package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.router.Parked;
import io.slipway.runtime.vm.VmRuntime;
import io.slipway.runtime.vm.VmStatus;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What the hosts of an app that is a VM answer (docs/vms.md, Routing): the VM's HTTP port on its
 * project network once the guest said it is ready, else the router's 503 page saying why. The
 * upstream is only ever the address the runtime gives the VM itself (podman: its own container's,
 * named from the app's id; KubeVirt: its launcher pod's) on the project's network, never anything
 * the tenant wrote.
 */
@Component
class VmRoutes {

  private final VmStore vms;
  private final ObjectProvider<VmRuntime> runtimes;

  VmRoutes(VmStore vms, ObjectProvider<VmRuntime> runtimes) {
    this.vms = vms;
    this.runtimes = runtimes;
  }

  /**
   * The {@code ip:port} the app's hosts go to ({@code why} null), or why they answer the 503 page
   * instead ({@code upstream} null).
   */
  record Answer(String upstream, Parked why) {

    static Answer parked(Parked why) {
      return new Answer(null, why);
    }
  }

  /**
   * The VM's answer; empty when the app is no VM. A guest that has not said it is ready is {@link
   * Parked#BOOTING}: until its network is up, QEMU's port forward takes a connection and holds it
   * without an answer (measured: a GET still unanswered after 4 s), so routing it then would make
   * visitors wait instead of seeing the 503 page. Once the guest is up, a port nobody listens on is
   * reset at once, which the router answers with its 503 page as for an app's instance.
   */
  Optional<Answer> answer(AppRef ref) {
    return vms.find(ref).map(vm -> answer(ref, vm));
  }

  private Answer answer(AppRef ref, VmStore.StoredVm vm) {
    VmRuntime runtime = runtimes.getIfAvailable();
    if (!vm.running() || runtime == null) {
      return Answer.parked(Parked.STOPPED);
    }
    if (vm.httpPort() == null) {
      return Answer.parked(Parked.NO_HTTP_PORT);
    }
    VmStatus status = runtime.status(ref);
    if (status.state() != VmStatus.State.RUNNING) {
      // QEMU exited without the API asking: VmWatch starts it again on its pass
      return Answer.parked(Parked.STOPPED);
    }
    if (!status.guestReady()) {
      return Answer.parked(Parked.BOOTING);
    }
    // no address: its container left the network (gone) between the two looks
    return runtime
        .address(ref, vm.httpPort())
        .map(upstream -> new Answer(upstream, null))
        .orElseGet(() -> Answer.parked(Parked.STOPPED));
  }
}
