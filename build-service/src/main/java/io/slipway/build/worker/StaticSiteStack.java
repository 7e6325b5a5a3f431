package io.slipway.build.worker;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The static-site source build: a repository without a Containerfile but with an {@code index.html}
 * at its root becomes the catalog's base image with the repository copied into its web root, run as
 * an unprivileged user. A pure function of the catalog entry.
 */
record StaticSiteStack(StackProperties.StaticSite entry) implements SourceStack {

  @Override
  public String name() {
    return "static";
  }

  @Override
  public boolean enabled() {
    return entry.enabled();
  }

  @Override
  public boolean matches(Path source) {
    return SourceStack.hasAny(source, "index.html");
  }

  /** The base image's own server serves the files, whatever a Procfile says. */
  @Override
  public String containerfile(Path source, Optional<String> web) {
    return containerfile();
  }

  @Override
  public boolean runsProcfile() {
    return false;
  }

  /** The generated Containerfile (it does not depend on the files). */
  String containerfile() {
    // what does not change from push to push comes first, so only COPY makes a new layer
    return "FROM "
        + entry.baseImage()
        + "\nUSER "
        + USER
        + "\nEXPOSE "
        + entry.port()
        + "\nCOPY . "
        + entry.webRoot()
        + "\n";
  }

  @Override
  public String images() {
    return entry.baseImage();
  }
}
