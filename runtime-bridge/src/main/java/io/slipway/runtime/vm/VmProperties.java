package io.slipway.runtime.vm;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How VMs run on the podman driver ({@code slipway.runtime.vm.*}, docs/vms.md), checked at
 * start-up.
 *
 * @param runnerImage the image QEMU runs in
 * @param guestImage the platform's guest image: the containerDisk a VM boots when it names none
 * @param imagePrefix where the platform's VM images are: any tenant's VM may boot them
 * @param powerdownGrace how long a guest has to power off after the ACPI power button
 * @param qmpTimeout how long QEMU has to answer one QMP command
 * @param qemuOverheadMib what QEMU itself needs beside the guest's memory, added to the container's
 *     memory limit
 * @param devKvm the host's KVM device: used when the bridge may open it, else TCG
 */
@Validated
@ConfigurationProperties("slipway.runtime.vm")
record VmProperties(
    @DefaultValue(VmSettings.RUNNER_IMAGE) @Pattern(regexp = IMAGE) String runnerImage,
    @DefaultValue(VmSettings.DEBIAN_IMAGE) @Pattern(regexp = IMAGE) String guestImage,
    @DefaultValue(VmSettings.IMAGE_PREFIX) @Pattern(regexp = PREFIX) String imagePrefix,
    @DefaultValue("30s") @NotNull Duration powerdownGrace,
    @DefaultValue("10s") @NotNull Duration qmpTimeout,
    @DefaultValue("256") @Min(64) @Max(4096) int qemuOverheadMib,
    @DefaultValue("/dev/kvm") @NotNull Path devKvm) {

  /** A local image reference: lowercase path segments, a tag or digest. */
  static final String IMAGE =
      "[a-z0-9][a-z0-9._-]*(:[0-9]+)?(/[a-z0-9][a-z0-9_-]*)+(:[\\w][\\w.-]{0,127})?"
          + "(@sha256:[0-9a-f]{64})?";

  /** A repository prefix ending in {@code /}: a registry host and at least one path segment. */
  static final String PREFIX = "[a-z0-9][a-z0-9._-]*(:[0-9]+)?(/[a-z0-9][a-z0-9_-]*)+/";

  /** The settings of {@link PodmanVms}; tenants' images are where build-service names them. */
  VmSettings settings(String buildImagePrefix) {
    return new VmSettings(
        runnerImage,
        guestImage,
        imagePrefix,
        buildImagePrefix,
        powerdownGrace,
        qmpTimeout,
        qemuOverheadMib,
        devKvm);
  }
}
