package io.slipway.governance.image;

import java.util.Objects;

/**
 * Where an image to describe lives, in skopeo's transport syntax.
 *
 * @param transport the local store buildah built into, or a remote registry
 * @param reference the image reference within that transport, e.g. {@code
 *     localhost/slipway/acme/web/site:1a2b} or {@code registry.example/team/app@sha256:...}
 */
public record SourceImage(Transport transport, String reference) {

  /** The skopeo transports Slipway reads images from. */
  public enum Transport {
    /** The local containers-storage that buildah builds into and podman runs from. */
    CONTAINERS_STORAGE("containers-storage:"),
    /** A registry speaking the distribution API. */
    REGISTRY("docker://");

    private final String prefix;

    Transport(String prefix) {
      this.prefix = prefix;
    }
  }

  public SourceImage {
    Objects.requireNonNull(transport, "transport");
    if (reference == null || reference.isBlank() || reference.startsWith("-")) {
      throw new IllegalArgumentException("an image reference is required: " + reference);
    }
  }

  /** An image in the local containers-storage. */
  public static SourceImage local(String reference) {
    return new SourceImage(Transport.CONTAINERS_STORAGE, reference);
  }

  /** The argument skopeo understands, e.g. {@code containers-storage:localhost/x:1}. */
  public String skopeoName() {
    return transport.prefix + reference;
  }
}
