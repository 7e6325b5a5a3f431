package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SkopeoCopyTest {

  @Test
  void copiesFromContainersStorageToTheRegistryAndWritesTheDigest() {
    assertThat(
            new SkopeoCopy(
                    "localhost/acme/web/site:abc",
                    "127.0.0.1:5000/acme/web/site:abc",
                    Path.of("/tmp/b/pushed-digest"),
                    false,
                    null)
                .arguments())
        .containsExactly(
            "skopeo",
            "copy",
            "--quiet",
            "--dest-tls-verify=false",
            "--digestfile=/tmp/b/pushed-digest",
            "containers-storage:localhost/acme/web/site:abc",
            "docker://127.0.0.1:5000/acme/web/site:abc");
  }

  /** An attachment goes up byte for byte, and what is there comes back the same way. */
  @Test
  void copiesAnAttachmentLayoutUnchangedToAndFromItsTag() {
    SkopeoAttachmentCopy copy =
        new SkopeoAttachmentCopy(
            Path.of("/tmp/b/signature"),
            "127.0.0.1:5000/acme/web/site:sha256-" + "ab".repeat(32) + ".sig",
            true,
            null);
    assertThat(copy.arguments())
        .containsExactly(
            "skopeo",
            "copy",
            "--quiet",
            "--preserve-digests",
            "--dest-tls-verify=true",
            "oci:/tmp/b/signature:attachment",
            "docker://127.0.0.1:5000/acme/web/site:sha256-" + "ab".repeat(32) + ".sig");
    assertThat(copy.fetchArguments())
        .containsExactly(
            "skopeo",
            "copy",
            "--quiet",
            "--preserve-digests",
            "--src-tls-verify=true",
            "docker://127.0.0.1:5000/acme/web/site:sha256-" + "ab".repeat(32) + ".sig",
            "oci:/tmp/b/signature:attachment");
  }

  /** Credentials go in a file skopeo reads, on the registry's side of the copy only. */
  @Test
  void passesTheRegistryCredentialsAsAnAuthFile() {
    Path auth = Path.of("/tmp/b/registry-auth.json");
    assertThat(
            new SkopeoCopy(
                    "localhost/acme/web/site:abc",
                    "127.0.0.1:5000/acme/web/site:abc",
                    Path.of("/tmp/b/pushed-digest"),
                    true,
                    auth)
                .arguments())
        .containsExactly(
            "skopeo",
            "copy",
            "--quiet",
            "--dest-authfile=/tmp/b/registry-auth.json",
            "--dest-tls-verify=true",
            "--digestfile=/tmp/b/pushed-digest",
            "containers-storage:localhost/acme/web/site:abc",
            "docker://127.0.0.1:5000/acme/web/site:abc");
    SkopeoAttachmentCopy copy =
        new SkopeoAttachmentCopy(
            Path.of("/tmp/b/sig"), "127.0.0.1:5000/acme/web/site:sha256-ab.sig", true, auth);
    assertThat(copy.arguments())
        .containsExactly(
            "skopeo",
            "copy",
            "--quiet",
            "--preserve-digests",
            "--dest-authfile=/tmp/b/registry-auth.json",
            "--dest-tls-verify=true",
            "oci:/tmp/b/sig:attachment",
            "docker://127.0.0.1:5000/acme/web/site:sha256-ab.sig");
    assertThat(copy.fetchArguments())
        .containsExactly(
            "skopeo",
            "copy",
            "--quiet",
            "--preserve-digests",
            "--src-authfile=/tmp/b/registry-auth.json",
            "--src-tls-verify=true",
            "docker://127.0.0.1:5000/acme/web/site:sha256-ab.sig",
            "oci:/tmp/b/sig:attachment");
  }
}
