package io.slipway.runtime.vm;

import java.nio.file.Files;
import java.nio.file.Path;

/** How QEMU runs the guest's CPUs: KVM when the host lets it, else TCG (emulation, slower). */
public enum Accelerator {
  KVM,
  TCG;

  /** QEMU's name for it, as in {@code -accel} and as the status says it. */
  public String qemuName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * KVM when {@code devKvm} (the host's {@code /dev/kvm}) exists and this process may open it for
   * reading and writing, as QEMU must; a machine without it (a VM without nested virtualization, a
   * CI runner) gets TCG.
   */
  public static Accelerator on(Path devKvm) {
    return Files.isReadable(devKvm) && Files.isWritable(devKvm) ? KVM : TCG;
  }
}
