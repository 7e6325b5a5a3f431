package io.slipway.governance.policy;

import java.util.Locale;

/**
 * An image reference split into its parts, with Docker's defaults applied: {@code nginx} is {@code
 * docker.io/library/nginx:latest}. The first path component is a registry if it contains a dot or a
 * colon or is {@code localhost}.
 *
 * @param registry the registry host (and port)
 * @param path the repository path inside the registry
 * @param tag the tag, or {@code null} if the reference pins a digest only
 * @param digest the pinned digest, or {@code null}
 */
public record ImageReference(String registry, String path, String tag, String digest) {

  /**
   * Parses a reference.
   *
   * @throws IllegalArgumentException if it is empty or malformed
   */
  public static ImageReference parse(String reference) {
    if (reference == null || reference.isBlank() || reference.contains("://")) {
      throw new IllegalArgumentException("not an image reference: " + reference);
    }
    String rest = reference.strip();
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    String registry = "docker.io";
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    if (registry.equals("docker.io") && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    if (rest.isEmpty() || !rest.equals(rest.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("not an image reference: " + reference);
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  /** {@code registry/path}: what registry allow-lists and signature identities compare. */
  public String repository() {
    return registry + "/" + path;
  }
}
