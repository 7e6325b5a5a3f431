package io.slipway.runtime.vm;

/**
 * How a guest of a containerDisk image boots, whatever runs it: straight into the kernel the image
 * carries beside its disk (no bootloader to wait for under emulation), its console on the first
 * serial port. QEMU's command line ({@code QemuCommand}) and KubeVirt's {@code kernelBoot} say the
 * same.
 */
public final class GuestBoot {

  /** The kernel, inside the containerDisk image. */
  public static final String KERNEL = "/boot/vmlinuz";

  /** Its initial ramdisk, inside the containerDisk image. */
  public static final String INITRD = "/boot/initrd.img";

  /** The kernel's command line: the console on ttyS0, quiet, a panic powers off. */
  public static final String KERNEL_ARGS = "console=ttyS0 quiet panic=-1";

  private GuestBoot() {}
}
