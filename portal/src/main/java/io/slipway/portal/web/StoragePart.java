package io.slipway.portal.web;

import io.slipway.kit.client.TenantViews.Measurement;
import io.slipway.kit.client.TenantViews.TenantUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One part of a tenant's storage usage, as the pages list it under the storage meter: what a
 * service measured on disk under its key ({@code git}, {@code images}, {@code build-store}, and
 * runtime-bridge's {@code vm-disks}), and what is reserved beside those.
 */
public record StoragePart(String label, long storageMib) {

  /** runtime-bridge's count of kept activations: measured too, but no storage. */
  private static final String ACTIVATIONS_KEY = "activations";

  private static final Map<String, String> LABELS =
      Map.of(
          "git", "Git repositories",
          "images", "Images",
          "build-store", "Build cache (the build sandbox's store)",
          "vm-disks", "VM disks");

  /** The parts of a tenant's storage: what services measured, and what is reserved beside. */
  public static List<StoragePart> of(TenantUsage usage) {
    List<StoragePart> parts = new ArrayList<>();
    long measured = 0;
    for (Measurement part : usage.measured() == null ? List.<Measurement>of() : usage.measured()) {
      if (part.key().equals(ACTIVATIONS_KEY)) {
        continue;
      }
      parts.add(new StoragePart(LABELS.getOrDefault(part.key(), part.key()), part.storageMib()));
      measured += part.storageMib();
    }
    Long used = usage.used() == null ? null : usage.used().storageMib();
    long reserved = (used == null ? 0 : used) - measured;
    if (reserved > 0) {
      parts.add(new StoragePart("Reserved", reserved));
    }
    return parts;
  }
}
