package io.slipway.runtime.vm;

import java.util.ArrayList;
import java.util.List;

/**
 * The QEMU command line of a VM inside its runner container. Pure: the runner's entrypoint
 * (config/vm/runner/slipway-vm-run) makes the overlay and the seed at these paths, then runs it.
 */
final class QemuCommand {

  /** Where the VM's containerDisk image is mounted, read-only. */
  static final String IMAGE_DIR = "/vm/image";

  /** The VM's volume: its disk overlay, its seed and QEMU's sockets. */
  static final String STATE_DIR = "/run/vm";

  static final String OVERLAY = STATE_DIR + "/overlay.qcow2";
  static final String SEED = STATE_DIR + "/seed.img";

  /** The VM's data disk's own volume, kept when the VM is deleted to be made again. */
  static final String DATA_DIR = "/run/vm-data";

  static final String DATA_DISK = DATA_DIR + "/data.qcow2";

  /**
   * The data disk's virtio serial number: how the guest's init tells it from the other disks (the
   * {@code serial} of its block device in sysfs) to mount it at {@code /data}.
   */
  static final String DATA_SERIAL = "slipway-data";

  static final String QMP_SOCKET = "qmp.sock";
  static final String CONSOLE_SOCKET = "console.sock";
  static final String CONSOLE_LOG = "console.log";

  /**
   * TCG's translation cache in MiB. QEMU's default is 1 GiB, which would have to count against the
   * VM's container memory; 64 MiB costs a small guest nothing measurable.
   */
  static final int TCG_CACHE_MIB = 64;

  private QemuCommand() {}

  static List<String> of(VmSpec spec, Accelerator accelerator) {
    List<String> command = new ArrayList<>();
    command.add("qemu-system-x86_64");
    add(command, "-name", "guest=" + spec.name());
    add(command, "-machine", "q35");
    add(command, "-accel", accelerator == Accelerator.KVM ? "kvm" : "tcg,tb-size=" + TCG_CACHE_MIB);
    // KVM passes the host's CPU through; TCG emulates every feature it knows
    add(command, "-cpu", accelerator == Accelerator.KVM ? "host" : "max");
    add(command, "-smp", Integer.toString(spec.vcpus()));
    add(command, "-m", spec.memoryMib() + "M");
    command.add("-nodefaults");
    command.add("-no-user-config");
    add(command, "-display", "none");
    // direct kernel boot: no bootloader to wait for under TCG
    add(command, "-kernel", IMAGE_DIR + GuestBoot.KERNEL);
    add(command, "-initrd", IMAGE_DIR + GuestBoot.INITRD);
    add(command, "-append", GuestBoot.KERNEL_ARGS);
    add(command, "-drive", "file=" + OVERLAY + ",if=virtio,format=qcow2,discard=unmap");
    add(command, "-drive", "file=" + SEED + ",if=virtio,format=raw,readonly=on");
    if (spec.hasDataDisk()) {
      add(command, "-drive", "file=" + DATA_DISK + ",if=none,id=data,format=qcow2,discard=unmap");
      // a PCI slot of its own, after the boot disk's and the seed's: the guest's kernel names
      // disks in slot order, and the initramfs mounts the first one (/dev/vda) as the root;
      // without it this explicit device took the first slot and the boot disk's name
      add(command, "-device", "virtio-blk-pci,drive=data,serial=" + DATA_SERIAL + ",addr=0x10");
    }
    add(command, "-netdev", netdev(spec));
    // no option ROM: network boot is never used and loading it costs boot time
    add(command, "-device", "virtio-net-pci,netdev=net0,romfile=");
    add(
        command,
        "-chardev",
        "socket,id=console,path="
            + STATE_DIR
            + "/"
            + CONSOLE_SOCKET
            + ",server=on,wait=off,logfile="
            + STATE_DIR
            + "/"
            + CONSOLE_LOG);
    add(command, "-serial", "chardev:console");
    add(command, "-qmp", "unix:" + STATE_DIR + "/" + QMP_SOCKET + ",server=on,wait=off");
    return List.copyOf(command);
  }

  /**
   * User-mode networking: each exposed guest port is the same port of the container, so the
   * project's network and the router reach a VM as they reach an app.
   */
  private static String netdev(VmSpec spec) {
    StringBuilder netdev = new StringBuilder("user,id=net0");
    for (int port : spec.ports()) {
      netdev.append(",hostfwd=tcp::").append(port).append("-:").append(port);
    }
    return netdev.toString();
  }

  private static void add(List<String> command, String option, String value) {
    command.add(option);
    command.add(value);
  }
}
