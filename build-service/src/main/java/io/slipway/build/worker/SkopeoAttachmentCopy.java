package io.slipway.build.worker;

import io.slipway.governance.signing.OciAttachment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code skopeo copy} of an image's attachment (its signatures or SBOM, an OCI layout written
 * by {@link OciAttachment#writeLayout}) to its {@code sha256-<hex>.<kind>} tag in the registry, or
 * of the attachment there back into a layout, typed. {@code --preserve-digests} makes skopeo copy
 * the manifest and blobs unchanged.
 *
 * @param layout the OCI layout directory
 * @param remote the registry reference, e.g. {@code registry:5000/acme/web/site:sha256-….sig}
 * @param tlsVerify whether the registry's certificate is checked
 * @param authFile the registry credentials (see {@link SkopeoCopy}); null: anonymous
 */
record SkopeoAttachmentCopy(Path layout, String remote, boolean tlsVerify, Path authFile) {

  /** Uploads the layout to the registry: the exact command line, no shell, no interpolation. */
  List<String> arguments() {
    return copy("dest", "oci:" + layout + ":" + OciAttachment.LAYOUT_REF, "docker://" + remote);
  }

  /** Downloads the attachment from the registry into the layout. */
  List<String> fetchArguments() {
    return copy("src", "docker://" + remote, "oci:" + layout + ":" + OciAttachment.LAYOUT_REF);
  }

  /** {@code side} is the registry's side of the copy: {@code src} or {@code dest}. */
  private List<String> copy(String side, String from, String to) {
    List<String> arguments =
        new ArrayList<>(List.of("skopeo", "copy", "--quiet", "--preserve-digests"));
    if (authFile != null) {
      arguments.add("--" + side + "-authfile=" + authFile);
    }
    arguments.addAll(List.of("--" + side + "-tls-verify=" + tlsVerify, from, to));
    return arguments;
  }
}
