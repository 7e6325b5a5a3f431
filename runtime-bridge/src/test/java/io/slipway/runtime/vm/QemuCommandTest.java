package io.slipway.runtime.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.model.Specs;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QemuCommandTest {

  private static VmSpec spec(int vcpus, int memoryMib, List<Integer> ports) {
    return new VmSpec(
        Specs.ref("acme", "shop", "db"), vcpus, memoryMib, "localhost/acme/disk:1", "", ports);
  }

  @Test
  void bootsTheContainerDisksKernelOnTheOverlayWithTheSeedAndQmp() {
    assertThat(QemuCommand.of(spec(2, 512, List.of(8080, 22)), Accelerator.TCG))
        .containsExactly(
            "qemu-system-x86_64",
            "-name",
            "guest=db",
            "-machine",
            "q35",
            "-accel",
            "tcg,tb-size=64",
            "-cpu",
            "max",
            "-smp",
            "2",
            "-m",
            "512M",
            "-nodefaults",
            "-no-user-config",
            "-display",
            "none",
            "-kernel",
            "/vm/image/boot/vmlinuz",
            "-initrd",
            "/vm/image/boot/initrd.img",
            "-append",
            "console=ttyS0 quiet panic=-1",
            "-drive",
            "file=/run/vm/overlay.qcow2,if=virtio,format=qcow2,discard=unmap",
            "-drive",
            "file=/run/vm/seed.img,if=virtio,format=raw,readonly=on",
            "-netdev",
            "user,id=net0,hostfwd=tcp::8080-:8080,hostfwd=tcp::22-:22",
            "-device",
            "virtio-net-pci,netdev=net0,romfile=",
            "-chardev",
            "socket,id=console,path=/run/vm/console.sock,server=on,wait=off,"
                + "logfile=/run/vm/console.log",
            "-serial",
            "chardev:console",
            "-qmp",
            "unix:/run/vm/qmp.sock,server=on,wait=off");
  }

  @Test
  void aDataDiskIsAVirtioDiskOfItsOwnVolumeThatTheGuestFindsByItsSerial() {
    VmSpec withData =
        new VmSpec(
            Specs.ref("acme", "shop", "db"), 1, 256, "localhost/acme/disk:1", "", List.of(), 1024);
    List<String> command = QemuCommand.of(withData, Accelerator.TCG);
    int drive =
        command.indexOf("file=/run/vm-data/data.qcow2,if=none,id=data,format=qcow2,discard=unmap");
    assertThat(drive).isPositive();
    assertThat(command.get(drive - 1)).isEqualTo("-drive");
    assertThat(command.subList(drive + 1, drive + 3))
        .containsExactly("-device", "virtio-blk-pci,drive=data,serial=slipway-data,addr=0x10");
    // the boot disk stays the first virtio disk: the initramfs mounts /dev/vda
    assertThat(command.indexOf("file=/run/vm/overlay.qcow2,if=virtio,format=qcow2,discard=unmap"))
        .isLessThan(drive);
    assertThat(QemuCommand.of(spec(1, 256, List.of()), Accelerator.TCG))
        .noneMatch(arg -> arg.contains("data"));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(Accelerator.KVM, List.of(), "kvm", "host", "user,id=net0"),
        Arguments.of(Accelerator.TCG, List.of(), "tcg,tb-size=64", "max", "user,id=net0"),
        Arguments.of(
            Accelerator.KVM,
            List.of(1, 65_535),
            "kvm",
            "host",
            "user,id=net0,hostfwd=tcp::1-:1,hostfwd=tcp::65535-:65535"),
        Arguments.of(
            Accelerator.TCG,
            List.of(80),
            "tcg,tb-size=64",
            "max",
            "user,id=net0,hostfwd=tcp::80-:80"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void acceleratorAndPorts(
      Accelerator accelerator, List<Integer> ports, String accel, String cpu, String netdev) {
    List<String> command = QemuCommand.of(spec(1, 256, ports), accelerator);
    assertThat(valueOf(command, "-accel")).isEqualTo(accel);
    assertThat(valueOf(command, "-cpu")).isEqualTo(cpu);
    assertThat(valueOf(command, "-netdev")).isEqualTo(netdev);
    // the image is never a drive: QEMU writes only the overlay in the VM's volume
    assertThat(command).noneMatch(arg -> arg.contains("file=/vm/image"));
    assertThat(valueOf(command, "-qmp")).startsWith("unix:/run/vm/qmp.sock,");
  }

  private static String valueOf(List<String> command, String option) {
    return command.get(command.indexOf(option) + 1);
  }
}
