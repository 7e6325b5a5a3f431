package io.slipway.governance.image;

import java.util.List;

/**
 * One {@code skopeo inspect} that prints only the manifest digest an image reference resolves to
 * now (a tag can move; the digest cannot).
 *
 * @param image the image to resolve
 */
record SkopeoInspectDigest(SourceImage image) {

  /** The exact command line: no shell, no interpolation. */
  List<String> arguments() {
    return List.of("skopeo", "inspect", "--format", "{{.Digest}}", image.skopeoName());
  }
}
