package io.slipway.governance.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.governance.image.ImageFiles;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The scanners on file sets that the sample image does not cover. */
class PackageScannersTest {

  private static final String DIGEST = "sha256:" + "c0".repeat(32);

  private static Sbom sbomOf(Map<String, String> files) {
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    files.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
    SbomGenerator generator = new SbomGenerator();
    bytes
        .keySet()
        .forEach(path -> assertThat(generator.wantedFiles().test(path)).as(path).isTrue());
    return generator.generate(
        "localhost/x:1", ImageFiles.of(DIGEST, bytes), Instant.parse("2026-11-26T00:00:00Z"));
  }

  @Test
  void alpinePackagesComeFromTheApkDatabase() {
    Sbom sbom =
        sbomOf(
            Map.of(
                "etc/os-release",
                "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n",
                "lib/apk/db/installed",
                """
                C:Q1abc=
                P:musl
                V:1.2.4_git20230717-r4
                A:x86_64
                o:musl

                C:Q1def=
                P:busybox-binsh
                V:1.36.1-r15
                A:x86_64
                o:busybox
                """));

    assertThat(sbom.components())
        .extracting(Component::purl)
        .containsExactly(
            "pkg:apk/alpine/busybox-binsh@1.36.1-r15?arch=x86_64&distro=alpine-3.19.1",
            "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1");
  }

  @Test
  void distrolessStatusDirectoryHoldsOneStanzaPerFile() {
    Sbom sbom =
        sbomOf(
            Map.of(
                "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n",
                "var/lib/dpkg/status.d/tzdata",
                    "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n",
                "var/lib/dpkg/status.d/libc6",
                    "Package: libc6\nVersion: 2.36-9+deb12u4\nArchitecture: amd64\nSource: glibc\n"));

    assertThat(sbom.components())
        .extracting(Component::purl)
        .containsExactly(
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc",
            "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=debian-12");
    assertThat(sbom.components().get(0).advisoryName()).isEqualTo("glibc");
  }

  @Test
  void goSumAloneGivesTheModulesItRecordsContentFor() {
    Sbom sbom =
        sbomOf(
            Map.of(
                "src/go.sum",
                """
                github.com/pkg/errors v0.9.1 h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=
                github.com/pkg/errors v0.9.1/go.mod h1:bwawxfHBFNV+L2hUp1rHADufV3IMtnDRdf1r5NINEl0=
                golang.org/x/sys v0.1.0/go.mod h1:oPkhp1MJrh7nUepCBck5+mAzfO9JrbApNNgaTdGDITg=
                """));

    assertThat(sbom.components())
        .extracting(Component::purl)
        .containsExactly("pkg:golang/github.com/pkg/errors@v0.9.1");
  }

  @Test
  void nestedNodeModulesAndNonPinnedRequirements() {
    Sbom sbom =
        sbomOf(
            Map.of(
                "srv/node_modules/a/node_modules/@s/b/package.json",
                    "{\"name\": \"@s/b\", \"version\": \"2.0.0\"}",
                "srv/node_modules/a/package.json", "{\"name\": \"a\", \"version\": \"1.0.0\"}",
                "srv/requirements-dev.txt", "pytest>=7\nblack~=23.1\nmypy===1.8.0\n"));

    assertThat(sbom.components())
        .extracting(Component::purl)
        .containsExactly("pkg:npm/%40s/b@2.0.0", "pkg:npm/a@1.0.0", "pkg:pypi/mypy@1.8.0");
  }

  @Test
  void filesNoScannerReadsAreNotWanted() {
    SbomGenerator generator = new SbomGenerator();
    assertThat(generator.wantedFiles().test("usr/bin/bash")).isFalse();
    assertThat(generator.wantedFiles().test("app/node_modules/a/lib/package.json")).isFalse();
    assertThat(generator.wantedFiles().test("var/lib/dpkg/status-old")).isFalse();
  }

  @Test
  void cycloneDxHasTheImageAsMetadataAndPurlsAsBomRefs() {
    Sbom sbom =
        sbomOf(
            Map.of(
                "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n",
                "var/lib/dpkg/status",
                    "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b8\nArchitecture: amd64\nSource: bash (5.2.15-2)\n"));

    JsonNode bom = JsonMapper.builder().build().readTree(CycloneDx.write(sbom));

    assertThat(bom.path("bomFormat").asString()).isEqualTo("CycloneDX");
    assertThat(bom.path("specVersion").asString()).isEqualTo("1.5");
    assertThat(bom.path("serialNumber").asString()).startsWith("urn:uuid:");
    assertThat(bom.path("metadata").path("component").path("type").asString())
        .isEqualTo("container");
    assertThat(bom.path("metadata").path("component").path("version").asString()).isEqualTo(DIGEST);
    JsonNode bash = bom.path("components").get(0);
    assertThat(bash.path("type").asString()).isEqualTo("library");
    assertThat(bash.path("bom-ref").asString()).isEqualTo(bash.path("purl").asString());
    assertThat(CycloneDx.read(CycloneDx.write(sbom))).isEqualTo(sbom);
    assertThat(CycloneDx.read(CycloneDx.write(sbom)).components().get(0).sourceVersion())
        .isEqualTo("5.2.15-2");
  }
}
