package io.slipway.governance.image;

import java.nio.file.Path;
import java.util.List;

/**
 * One {@code skopeo copy} of an image into an OCI layout directory, typed.
 *
 * <p>{@code --preserve-digests} makes skopeo refuse any change to the manifest (no recompression,
 * no format conversion), so the digest in the layout is the digest the image has where it lives,
 * which is the digest that is signed and pinned.
 *
 * @param source the image to copy
 * @param layoutDir the directory to write the OCI layout to (created by skopeo)
 */
record SkopeoCopy(SourceImage source, Path layoutDir) {

  SkopeoCopy {
    if (layoutDir.toString().contains(":")) {
      // skopeo's oci: transport reads "oci:<path>:<tag>"; a colon in the path would split it.
      throw new IllegalArgumentException("an OCI layout path cannot contain ':': " + layoutDir);
    }
  }

  static final String TAG = "image";

  /** The exact command line: no shell, no interpolation. */
  List<String> arguments() {
    return List.of(
        "skopeo",
        "copy",
        "--quiet",
        "--preserve-digests",
        source.skopeoName(),
        "oci:" + layoutDir + ":" + TAG);
  }
}
