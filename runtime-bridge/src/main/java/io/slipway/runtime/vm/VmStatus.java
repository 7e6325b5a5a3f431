package io.slipway.runtime.vm;

import java.util.Optional;

/**
 * What a VM is doing now, as {@link PodmanVms#status} finds it.
 *
 * @param state whether its container runs
 * @param accelerator how QEMU runs the guest (QMP's {@code query-kvm}); empty unless running
 * @param qemuState QMP's {@code query-status} ({@code running}, {@code paused}, {@code shutdown},
 *     ...); empty unless running
 * @param guestReady the guest said {@code SLIPWAY-VM-READY} on its serial console since it started:
 *     the seed was applied and its commands ran
 * @param readyAfterSeconds the guest's uptime when it said so; empty until ready
 * @param exitCode the container's exit code once stopped; empty otherwise
 */
public record VmStatus(
    State state,
    Optional<Accelerator> accelerator,
    Optional<String> qemuState,
    boolean guestReady,
    Optional<Double> readyAfterSeconds,
    Optional<Integer> exitCode) {

  /** Whether the VM's container exists and runs. */
  public enum State {
    RUNNING,
    STOPPED,
    ABSENT
  }

  static VmStatus absent() {
    return new VmStatus(
        State.ABSENT,
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty(),
        Optional.empty());
  }
}
