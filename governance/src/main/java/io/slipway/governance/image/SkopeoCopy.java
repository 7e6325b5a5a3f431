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
 * <p>{@code --dest-shared-blob-dir} puts the blobs in a directory shared by every copy: a layer
 * already there (a stack's base, an unchanged dependency layer) is not copied again.
 *
 * @param source the image to copy
 * @param layoutDir the directory to write the OCI layout to (created by skopeo)
 * @param sharedBlobs where the blobs go ({@code sha256/<hex>} under it)
 */
record SkopeoCopy(SourceImage source, Path layoutDir, Path sharedBlobs) {

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
        "--dest-shared-blob-dir",
        sharedBlobs.toString(),
        source.skopeoName(),
        "oci:" + layoutDir + ":" + TAG);
  }
}
