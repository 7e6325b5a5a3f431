package io.slipway.governance.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.governance.image.ImageFiles;
import io.slipway.governance.image.ImageReader;
import io.slipway.governance.image.SourceImage;
import io.slipway.governance.image.TestImage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.json.JsonMapper;

/** A built image's SBOM lists exactly the packages really in it. */
class SbomGeneratorIT {

  @TempDir Path tmp;

  @Test
  void theSampleImagesSbomListsExactlyItsPackages() throws Exception {
    SbomGenerator generator = new SbomGenerator();
    try (TestImage image = new TestImage()) {
      String ref = SampleImage.build(image, tmp);
      ImageReader reader = new ImageReader(tmp, Duration.ofMinutes(2));
      ImageFiles files =
          reader.read(SourceImage.local(ref), generator.wantedFiles(), generator.executableProbe());

      Sbom sbom = generator.generate(ref, files, Instant.parse("2026-11-26T00:00:00Z"));

      String core = SampleImage.versionOf(SampleImage.jarOf(JsonParser.class));
      String databind = SampleImage.versionOf(SampleImage.jarOf(JsonMapper.class));
      assertThat(SampleImage.versionOf(SampleImage.jarOf(Assertions.class))).isNotBlank();
      assertThat(sbom.manifestDigest()).isEqualTo(reader.currentDigest(SourceImage.local(ref)));
      // The Go toolchain version this host's skopeo was built with.
      Component stdlib = find(sbom, "stdlib");
      assertThat(stdlib.location()).isEqualTo("/usr/local/bin/image-tool");
      assertThat(stdlib.version()).matches("v1\\.\\d+\\.\\d+");
      assertThat(sbom.components())
          .extracting(Component::purl)
          .containsExactlyInAnyOrder(
              "pkg:golang/stdlib@" + stdlib.version(),
              "pkg:deb/debian/bash@5.2.15-2%2Bb8?arch=amd64&distro=debian-12",
              "pkg:deb/debian/libssl3@3.0.19-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl",
              "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12&upstream=zlib",
              "pkg:maven/io.slipway.sample/sample-app@1.0.0",
              "pkg:maven/tools.jackson.core/jackson-databind@" + databind,
              "pkg:maven/tools.jackson.core/jackson-core@" + core,
              "pkg:npm/%40types/node@20.11.5",
              "pkg:npm/debug@2.6.9",
              "pkg:npm/ms@2.0.0",
              "pkg:npm/lodash@4.17.20",
              "pkg:npm/express@4.18.2",
              "pkg:pypi/pyyaml@6.0",
              "pkg:pypi/pygments@2.14.0",
              "pkg:pypi/requests@2.31.0",
              "pkg:pypi/urllib3@1.26.18",
              "pkg:pypi/certifi@2024.2.2",
              "pkg:golang/golang.org/x/net@v0.17.0",
              "pkg:golang/golang.org/x/text@v0.13.0",
              "pkg:golang/github.com/google/uuid@v1.6.0");

      Component bash = find(sbom, "bash");
      assertThat(bash.sourceName()).isEqualTo("bash");
      assertThat(bash.sourceVersion()).isEqualTo("5.2.15-2");
      assertThat(bash.distroRelease()).isEqualTo("12");
      assertThat(find(sbom, "libssl3").advisoryName()).isEqualTo("openssl");
      assertThat(find(sbom, "tools.jackson.core:jackson-databind").location())
          .isEqualTo("/app/app.jar!/BOOT-INF/lib/jackson-databind.jar");
      assertThat(find(sbom, "ms").location()).isEqualTo("/app/package-lock.json");
    }
  }

  private static Component find(Sbom sbom, String name) {
    return sbom.components().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }
}
