package io.slipway.portal.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One part of a tenant's storage usage, as the pages list it under the storage meter: what a
 * service measured on disk under its key ({@code git}, {@code images}, {@code build-store}), and
 * what is reserved beside those.
 */
public record StoragePart(String label, long storageMib) {

  private static final Map<String, String> LABELS =
      Map.of(
          "git", "Git repositories",
          "images", "Images",
          "build-store", "Build cache (the build sandbox's store)");

  /** The parts of the storage in a tenant usage answer ({@code measured} and {@code used}). */
  public static List<StoragePart> of(JsonNode usage) {
    List<StoragePart> parts = new ArrayList<>();
    long measured = 0;
    for (JsonNode part : usage.path("measured")) {
      String key = part.path("key").asString();
      long mib = part.path("storageMib").asLong();
      parts.add(new StoragePart(LABELS.getOrDefault(key, key), mib));
      measured += mib;
    }
    long reserved = usage.path("used").path("storageMib").asLong() - measured;
    if (reserved > 0) {
      parts.add(new StoragePart("Reserved", reserved));
    }
    return parts;
  }
}
