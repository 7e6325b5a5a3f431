package io.slipway.runtime.admission;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which containerDisk images a VM may boot (docs/vms.md), decided on the reference alone before
 * anything is looked up, as {@link TenantImages} decides for apps (and with its rules first): the
 * platform's VM images (under its VM image prefix) and the images built for the VM's own tenant,
 * named by their full digest (which {@code ImageAdmission.admitVm} then puts to the tenant's image
 * policy). Nothing from a registry (VM images are not pulled yet), nothing of another tenant, and
 * not the platform's stack images (they hold no disk). A refusal names the rule and the reference
 * the caller gave, never another tenant's repository or digest, and is the same whether or not the
 * image exists.
 */
public final class VmImages {

  /** What the rest of a reference may be under an admitted prefix: lowercase path, tag, digest. */
  private static final Pattern REST =
      Pattern.compile(
          "[a-z0-9][a-z0-9_-]*(\\.[a-z0-9_-]+)*(/[a-z0-9][a-z0-9_-]*(\\.[a-z0-9_-]+)*)*"
              + "(:[\\w][\\w.-]{0,127})?(@sha256:[0-9a-f]{64})?");

  private static final int MAX_LENGTH = 255;

  private VmImages() {}

  /**
   * Admits {@code image} as the disk of a VM of the tenant whose id is {@code tenantId}.
   *
   * @param buildPrefix where build-service names tenants' images ({@code <prefix>/<tenant id>/...})
   * @param platformPrefix where the platform's VM images are ({@code localhost/slipway/vm/})
   * @throws ImageRefusedException 422 {@code image-refused}, naming the rule broken
   */
  public static void admit(
      String tenantId, String buildPrefix, String platformPrefix, String image) {
    refusal(tenantId, buildPrefix, platformPrefix, image)
        .ifPresent(
            reason -> {
              throw new ImageRefusedException(shorten(image), null, List.of(reason), List.of());
            });
  }

  static Optional<String> refusal(
      String tenantId, String buildPrefix, String platformPrefix, String image) {
    if (image.length() > MAX_LENGTH) {
      return Optional.of("an image reference is at most " + MAX_LENGTH + " characters");
    }
    Optional<String> tenants = TenantImages.refusal(tenantId, buildPrefix, image, null);
    if (tenants.isPresent()) {
      return tenants;
    }
    String platform = slashed(platformPrefix);
    String own = slashed(buildPrefix) + tenantId + "/";
    String rest;
    if (image.startsWith(platform)) {
      rest = image.substring(platform.length());
    } else if (image.startsWith(own)) {
      rest = image.substring(own.length());
    } else {
      return Optional.of(
          "a VM boots the platform's VM images ("
              + platform
              + "...) or images built for its own tenant");
    }
    if (!REST.matcher(rest).matches()) {
      return Optional.of(
          "an image reference is lowercase path segments (no '..' or empty ones),"
              + " an optional tag and an optional full sha256 digest");
    }
    if (!image.startsWith(platform) && !rest.contains("@")) {
      return Optional.of(
          "a tenant's VM image is named by its full digest (repository@sha256:...), as its"
              + " build recorded it");
    }
    return Optional.empty();
  }

  /**
   * The refusal of an image that is no containerDisk the runner boots, naming what is wrong
   * (docs/vms.md: one qcow2 or raw disk under {@code /disk/}, a kernel under {@code /boot/}).
   */
  public static ImageRefusedException notAContainerDisk(String image, String why) {
    return new ImageRefusedException(shorten(image), null, List.of(why), List.of());
  }

  private static String slashed(String prefix) {
    return prefix.endsWith("/") ? prefix : prefix + "/";
  }

  private static String shorten(String value) {
    return value.length() > 64 ? value.substring(0, 64) + "..." : value;
  }
}
