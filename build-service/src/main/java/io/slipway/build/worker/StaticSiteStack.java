package io.slipway.build.worker;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The static-site source build: a repository without a Containerfile but with an {@code index.html}
 * at its root becomes the catalog's base image with the repository copied into its web root, run as
 * an unprivileged user. A pure function of the catalog entry.
 */
record StaticSiteStack(StackProperties.StaticSite entry) {

  /** Whether this stack builds the checked-out repository at {@code source}. */
  boolean matches(Path source) {
    return entry.enabled() && Files.isRegularFile(source.resolve("index.html"));
  }

  /** The generated Containerfile. */
  String containerfile() {
    return "FROM "
        + entry.baseImage()
        + "\nCOPY . "
        + entry.webRoot()
        + "\nUSER 65534\nEXPOSE "
        + entry.port()
        + "\n";
  }
}
