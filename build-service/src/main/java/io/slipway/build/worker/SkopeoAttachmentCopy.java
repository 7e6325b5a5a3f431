package io.slipway.build.worker;

import io.slipway.governance.signing.SigstoreAttachment;
import java.nio.file.Path;
import java.util.List;

/**
 * One {@code skopeo copy} of an image's sigstore signature attachment (an OCI layout written by
 * {@link SigstoreAttachment#writeLayout}) to its {@code sha256-<hex>.sig} tag in the registry,
 * typed. {@code --preserve-digests} makes skopeo upload the manifest and blobs unchanged.
 *
 * @param layout the OCI layout directory
 * @param destination the registry reference, e.g. {@code registry:5000/acme/web/site:sha256-….sig}
 * @param tlsVerify whether the registry's certificate is checked
 */
record SkopeoAttachmentCopy(Path layout, String destination, boolean tlsVerify) {

  /** The exact command line: no shell, no interpolation. */
  List<String> arguments() {
    return List.of(
        "skopeo",
        "copy",
        "--quiet",
        "--preserve-digests",
        "--dest-tls-verify=" + tlsVerify,
        "oci:" + layout + ":" + SigstoreAttachment.LAYOUT_REF,
        "docker://" + destination);
  }
}
