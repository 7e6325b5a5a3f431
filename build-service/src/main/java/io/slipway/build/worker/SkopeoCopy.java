package io.slipway.build.worker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code skopeo copy} of a built image from local containers-storage to a registry, typed.
 *
 * @param image the local image, e.g. {@code localhost/acme/web/site:1a2b...}
 * @param destination the registry reference, e.g. {@code registry:5000/acme/web/site:1a2b...}
 * @param digestFile where skopeo writes the digest of the manifest it pushed
 * @param tlsVerify whether the registry's certificate is checked
 * @param authFile the registry credentials (a containers-auth.json file, so that no secret is on
 *     the command line or in the build log); null: anonymous
 */
record SkopeoCopy(
    String image, String destination, Path digestFile, boolean tlsVerify, Path authFile) {

  /** The exact command line: no shell, no interpolation. */
  List<String> arguments() {
    List<String> arguments = new ArrayList<>(List.of("skopeo", "copy", "--quiet"));
    if (authFile != null) {
      arguments.add("--dest-authfile=" + authFile);
    }
    arguments.addAll(
        List.of(
            "--dest-tls-verify=" + tlsVerify,
            "--digestfile=" + digestFile,
            "containers-storage:" + image,
            "docker://" + destination));
    return arguments;
  }
}
