package io.slipway.runtime.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorTest {

  @TempDir Path dir;

  @Test
  void kvmNeedsTheDeviceOpenForReadingAndWritingAndTheCpusVirtualization() throws Exception {
    Path device = Files.createFile(dir.resolve("kvm"));
    Path intel = cpuinfo("intel", "fpu vme de pse vmx smx est");
    Path amd = cpuinfo("amd", "fpu vme de svm extapic");
    Path none = cpuinfo("none", "fpu vme de pse hypervisor lahf_lm");

    assertThat(Accelerator.on(device, intel)).isEqualTo(Accelerator.KVM);
    assertThat(Accelerator.on(device, amd)).isEqualTo(Accelerator.KVM);
    // the device is there, the CPU cannot: QEMU's -accel kvm would fail, so emulate
    assertThat(Accelerator.on(device, none)).isEqualTo(Accelerator.TCG);
    assertThat(Accelerator.on(device, dir.resolve("no-cpuinfo"))).isEqualTo(Accelerator.TCG);
    assertThat(Accelerator.on(dir.resolve("no-kvm"), intel)).isEqualTo(Accelerator.TCG);
    // a flag's name inside another word is no flag
    assertThat(Accelerator.on(device, cpuinfo("word", "fpu vmxon_like svmx")))
        .isEqualTo(Accelerator.TCG);
  }

  private Path cpuinfo(String name, String flags) throws Exception {
    return Files.writeString(
        dir.resolve(name),
        "processor\t: 0\nmodel name\t: test\nflags\t\t: " + flags + "\n\nprocessor\t: 1\n");
  }
}
