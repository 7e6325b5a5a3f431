package io.slipway.runtime.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.Specs;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class VmSpecTest {

  private static final AppRef REF = Specs.ref("acme", "shop", "vm");
  private static final String IMAGE = "localhost/slipway/vm/debian:1";

  static Stream<Arguments> hostileSpecs() {
    return Stream.of(
        Arguments.of("no vCPU", spec(0, 256, IMAGE, "", List.of()), "vcpus must be 1 to 8, not 0"),
        Arguments.of("too many vCPUs", spec(9, 256, IMAGE, "", List.of()), "vcpus must be 1 to 8"),
        Arguments.of("negative vCPUs", spec(-1, 256, IMAGE, "", List.of()), "not -1"),
        Arguments.of(
            "too little memory",
            spec(1, 127, IMAGE, "", List.of()),
            "memoryMib must be 128 to 16384, not 127"),
        Arguments.of("too much memory", spec(1, 16_385, IMAGE, "", List.of()), "memoryMib must be"),
        Arguments.of(
            "user-data over 64 KiB",
            spec(1, 256, IMAGE, "x".repeat(64 * 1024 + 1), List.of()),
            "userData is 65537 bytes; at most 65536 are allowed"),
        Arguments.of(
            "64 KiB of characters that are more bytes in UTF-8",
            spec(1, 256, IMAGE, "é".repeat(40_000), List.of()),
            "userData is 80000 bytes"),
        Arguments.of("NUL in user-data", spec(1, 256, IMAGE, "#cloud-config\0", List.of()), "NUL"),
        Arguments.of("port 0", spec(1, 256, IMAGE, "", List.of(0)), "port 0 is not a TCP port"),
        Arguments.of("port 65536", spec(1, 256, IMAGE, "", List.of(65_536)), "port 65536"),
        Arguments.of("negative port", spec(1, 256, IMAGE, "", List.of(-80)), "port -80"),
        Arguments.of(
            "a port twice", spec(1, 256, IMAGE, "", List.of(80, 80)), "port 80 is exposed twice"),
        Arguments.of(
            "17 ports",
            spec(1, 256, IMAGE, "", IntStream.rangeClosed(8000, 8016).boxed().toList()),
            "at most 16 ports may be exposed, not 17"),
        Arguments.of(
            "an image with a space", spec(1, 256, "debian 1", "", List.of()), "not an image"),
        Arguments.of(
            "an image with shell syntax",
            spec(1, 256, "debian;rm -rf /", "", List.of()),
            "not an image"),
        Arguments.of(
            "an image as a URL",
            spec(1, 256, "https://evil.example/x", "", List.of()),
            "not an image"),
        Arguments.of(
            "an image with a comma (QEMU option syntax)",
            spec(1, 256, "debian,readonly=off", "", List.of()),
            "not an image"),
        Arguments.of(
            "a data disk too small",
            (Runnable) () -> new VmSpec(REF, 1, 256, IMAGE, "", List.of(), 63),
            "dataDiskMib must be 0 (none) or 64 to 65536, not 63"),
        Arguments.of(
            "a data disk too big",
            (Runnable) () -> new VmSpec(REF, 1, 256, IMAGE, "", List.of(), 65_537),
            "not 65537"),
        Arguments.of(
            "a negative data disk",
            (Runnable) () -> new VmSpec(REF, 1, 256, IMAGE, "", List.of(), -1),
            "not -1"),
        Arguments.of(
            "a huge image name, shortened in the message",
            spec(1, 256, "a".repeat(300), "", List.of()),
            "a".repeat(64) + "...' is not an image reference"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileSpecs")
  void refusesHostileInputNamingWhatIsWrong(String what, Runnable spec, String message) {
    assertThatIllegalArgumentException().isThrownBy(spec::run).withMessageContaining(message);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"Web", "-vm", "vm-", "v_m", "a.b", "vm\n", "a234567890123456789012", "../etc", ""})
  void aVmsNameIsADns1123LabelOfItsApp(String name) {
    assertThatThrownBy(() -> Specs.ref("acme", "shop", name))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost/slipway/vm/debian:1",
        "registry.example:5000/acme/vm:2.1",
        "debian",
        "quay.io/containerdisks/debian@sha256:"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      })
  void takesImageReferences(String image) {
    assertThat(new VmSpec(REF, 1, 256, image, "", List.of()).image()).isEqualTo(image);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 8})
  void takesTheBoundsThemselves(int vcpus) {
    List<Integer> ports = IntStream.rangeClosed(1, 16).boxed().toList();
    VmSpec spec = new VmSpec(REF, vcpus, 16_384, IMAGE, "é".repeat(32 * 1024), ports);
    assertThat(spec.vcpus()).isEqualTo(vcpus);
    assertThat(spec.name()).isEqualTo("vm");
    assertThat(new VmSpec(REF, vcpus, 128, IMAGE, "", List.of(65_535)).ports())
        .containsExactly(65_535);
    assertThat(new VmSpec(REF, vcpus, 128, IMAGE, "", List.of(), 64).hasDataDisk()).isTrue();
    assertThat(new VmSpec(REF, vcpus, 128, IMAGE, "", List.of(), 65_536).dataDiskMib())
        .isEqualTo(65_536);
    assertThat(spec.hasDataDisk()).isFalse();
  }

  @org.junit.jupiter.api.Test
  void keepsItsOwnCopyOfThePorts() {
    List<Integer> ports = new ArrayList<>(List.of(8080));
    VmSpec spec = new VmSpec(REF, 1, 256, IMAGE, "", ports);
    ports.add(22);
    assertThat(spec.ports()).containsExactly(8080);
  }

  private static Runnable spec(
      int vcpus, int memoryMib, String image, String userData, List<Integer> ports) {
    return () -> new VmSpec(REF, vcpus, memoryMib, image, userData, ports);
  }
}
