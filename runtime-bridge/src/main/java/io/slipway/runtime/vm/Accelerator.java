package io.slipway.runtime.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** How QEMU runs the guest's CPUs: KVM when the host lets it, else TCG (emulation, slower). */
public enum Accelerator {
  KVM,
  TCG;

  /** The CPU flags of hardware virtualization (Intel VT-x, AMD-V) in {@code /proc/cpuinfo}. */
  private static final Pattern VIRTUALIZATION =
      Pattern.compile("^flags\\s*:.*\\b(vmx|svm)\\b", Pattern.MULTILINE);

  /** QEMU's name for it, as in {@code -accel} and as the status says it. */
  public String qemuName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** {@link #on(Path, Path)} with this host's {@code /proc/cpuinfo}. */
  public static Accelerator on(Path devKvm) {
    return on(devKvm, Path.of("/proc/cpuinfo"));
  }

  /**
   * KVM when {@code devKvm} (the host's {@code /dev/kvm}) exists and this process may open it for
   * reading and writing, as QEMU must, and the CPU ({@code cpuinfo}) offers hardware
   * virtualization; otherwise TCG. A machine without the device (a CI runner) gets TCG, and so does
   * one whose device exists without the CPU's support (a VM without nested virtualization, such as
   * this project's machines: QEMU's {@code -accel kvm} then fails with "Permission denied" even as
   * root).
   */
  public static Accelerator on(Path devKvm, Path cpuinfo) {
    if (!Files.isReadable(devKvm) || !Files.isWritable(devKvm)) {
      return TCG;
    }
    try {
      return VIRTUALIZATION.matcher(Files.readString(cpuinfo)).find() ? KVM : TCG;
    } catch (IOException e) {
      return TCG;
    }
  }
}
