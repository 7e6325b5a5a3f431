package io.slipway.governance.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SkopeoArgumentsTest {

  @Test
  void copyPreservesDigestsIntoAnOciLayout() {
    SkopeoCopy copy =
        new SkopeoCopy(
            SourceImage.local("localhost/slipway/acme/web/site:1a2b"),
            Path.of("/tmp/x/layout"),
            Path.of("/tmp/blobs"));

    assertThat(copy.arguments())
        .containsExactly(
            "skopeo",
            "copy",
            "--quiet",
            "--preserve-digests",
            "--dest-shared-blob-dir",
            "/tmp/blobs",
            "containers-storage:localhost/slipway/acme/web/site:1a2b",
            "oci:/tmp/x/layout:image");
  }

  @Test
  void copyFromARegistryUsesTheDockerTransport() {
    SkopeoCopy copy =
        new SkopeoCopy(
            new SourceImage(SourceImage.Transport.REGISTRY, "ghcr.io/acme/app:1"),
            Path.of("/l"),
            Path.of("/b"));

    assertThat(copy.arguments())
        .containsExactly(
            "skopeo",
            "copy",
            "--quiet",
            "--preserve-digests",
            "--dest-shared-blob-dir",
            "/b",
            "docker://ghcr.io/acme/app:1",
            "oci:/l:image");
  }

  @Test
  void inspectPrintsOnlyTheDigest() {
    assertThat(new SkopeoInspectDigest(SourceImage.local("localhost/a:1")).arguments())
        .containsExactly(
            "skopeo", "inspect", "--format", "{{.Digest}}", "containers-storage:localhost/a:1");
  }

  @Test
  void aLayoutPathWithAColonIsRefused() {
    assertThatThrownBy(
            () ->
                new SkopeoCopy(
                    SourceImage.local("localhost/a:1"), Path.of("/tmp/a:b"), Path.of("/b")))
        .hasMessageContaining("cannot contain ':'");
  }

  @Test
  void aReferenceThatLooksLikeAnOptionIsRefused() {
    assertThatThrownBy(() -> SourceImage.local("--src-creds=x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
