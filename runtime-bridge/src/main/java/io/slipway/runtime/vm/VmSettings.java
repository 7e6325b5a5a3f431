package io.slipway.runtime.vm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link PodmanVms} runs VMs: {@code slipway.runtime.vm.*} ({@link VmProperties}) with
 * admission's build image prefix.
 *
 * @param runnerImage the image QEMU runs in (config/vm/runner; ./slipway builds it as {@code
 *     localhost/slipway/vm/runner:4})
 * @param guestImage the platform's guest image (config/vm/guest): a VM's disk when it names none
 * @param imagePrefix where the platform's VM images are: any VM may boot them
 * @param buildImagePrefix where build-service names tenants' images ({@code <prefix>/<tenant
 *     id>/...}): a VM boots only its own tenant's
 * @param powerdownGrace how long a guest gets to power off after QMP's {@code system_powerdown}
 *     before QEMU is told to {@code quit}
 * @param qmpTimeout how long QEMU gets to answer one QMP command
 * @param qemuOverheadMib what QEMU itself needs beside the guest's memory (its code, TCG's
 *     translation cache, device buffers), counted into the container's memory limit
 * @param devKvm the host's KVM device: used when this process may open it, else TCG
 */
public record VmSettings(
    String runnerImage,
    String guestImage,
    String imagePrefix,
    String buildImagePrefix,
    Duration powerdownGrace,
    Duration qmpTimeout,
    int qemuOverheadMib,
    Path devKvm) {

  public static final String RUNNER_IMAGE = "localhost/slipway/vm/runner:4";
  public static final String DEBIAN_IMAGE = "localhost/slipway/vm/debian:1";
  public static final String IMAGE_PREFIX = "localhost/slipway/vm/";

  public VmSettings {
    Objects.requireNonNull(runnerImage, "runnerImage");
    Objects.requireNonNull(guestImage, "guestImage");
    Objects.requireNonNull(imagePrefix, "imagePrefix");
    Objects.requireNonNull(buildImagePrefix, "buildImagePrefix");
    Objects.requireNonNull(powerdownGrace, "powerdownGrace");
    Objects.requireNonNull(qmpTimeout, "qmpTimeout");
    Objects.requireNonNull(devKvm, "devKvm");
    if (qemuOverheadMib < 0) {
      throw new IllegalArgumentException("qemuOverheadMib must not be negative");
    }
  }

  /**
   * The defaults of {@code slipway.runtime.vm.*}: the platform's runner and guest images, tenants'
   * images under {@code localhost}, 30 s to power off, 10 s per QMP command, 256 MiB for QEMU,
   * {@code /dev/kvm}.
   */
  public static VmSettings defaults() {
    return new VmSettings(
        RUNNER_IMAGE,
        DEBIAN_IMAGE,
        IMAGE_PREFIX,
        "localhost",
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        256,
        Path.of("/dev/kvm"));
  }
}
