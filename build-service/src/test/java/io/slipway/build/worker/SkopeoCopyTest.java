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
                    false)
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
            true);
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
}
