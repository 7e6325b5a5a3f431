package io.slipway.governance.advisory;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.governance.sbom.Component;
import io.slipway.governance.sbom.Ecosystem;
import io.slipway.governance.sbom.Sbom;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin's offline sync: OSV files, directories and zips imported into the database. */
class AdvisoryImportTest {

  @TempDir Path tmp;

  private static String record(String id, String modified, String name, String fixed) {
    return """
        {"id": "%s", "modified": "%s", "aliases": ["CVE-2024-%s"],
         "affected": [{"package": {"ecosystem": "npm", "name": "%s"},
                       "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "%s"}]}]}]}
        """
        .formatted(id, modified, id.substring(id.length() - 4), name, fixed);
  }

  @Test
  void importsADirectoryAndAZipAndReportsBadFiles() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("osv/npm"));
    Files.writeString(
        dir.resolve("GHSA-0001.json"),
        record("GHSA-0001", "2024-01-01T00:00:00Z", "left-pad", "1.3.0"));
    Files.writeString(dir.resolve("broken.json"), "{ not json");
    Files.writeString(dir.resolve("README.txt"), "ignored");
    Path zip = tmp.resolve("osv/all.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      put(out, "GHSA-0002.json", record("GHSA-0002", "2024-01-01T00:00:00Z", "minimist", "1.2.6"));
      put(out, "GHSA-0003.json", record("GHSA-0003", "2024-01-01T00:00:00Z", "qs", "6.10.3"));
    }
    AdvisoryDatabase db = new AdvisoryDatabase();
    String empty = db.revision();

    ImportReport report = db.importFrom(tmp.resolve("osv"));

    assertThat(report.imported()).isEqualTo(3);
    assertThat(report.problems())
        .singleElement()
        .asString()
        .contains("broken.json")
        .contains("not valid JSON");
    assertThat(db.size()).isEqualTo(3);
    assertThat(report.revision()).isEqualTo(db.revision()).isNotEqualTo(empty);
    assertThat(db.advisory("GHSA-0002"))
        .get()
        .extracting(Advisory::aliases)
        .isEqualTo(List.of("CVE-2024-0002"));

    Sbom sbom =
        new Sbom(
            "localhost/x:1",
            "sha256:" + "a".repeat(64),
            Instant.EPOCH,
            List.of(
                Component.library(Ecosystem.NPM, "minimist", "1.2.5", "/app/package-lock.json"),
                Component.library(Ecosystem.NPM, "qs", "6.10.3", "/app/package-lock.json"),
                Component.library(Ecosystem.NPM, "left-pad", "1.1.0", "/app/package-lock.json")));
    assertThat(db.scan(sbom))
        .extracting(Finding::advisoryId)
        .containsExactly("GHSA-0001", "GHSA-0002");
  }

  @Test
  void aZipReadAsAStreamImportsAsTheSameFileDoes() throws IOException {
    Path zip = Files.createDirectories(tmp.resolve("osv")).resolve("all.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      put(out, "GHSA-0002.json", record("GHSA-0002", "2024-01-01T00:00:00Z", "minimist", "1.2.6"));
      put(out, "notes.txt", "ignored");
      put(out, "broken.json", "{ not json");
    }
    AdvisoryDatabase fromFile = new AdvisoryDatabase();
    fromFile.importFrom(zip);
    AdvisoryDatabase fromStream = new AdvisoryDatabase();

    ImportReport report;
    try (var in = Files.newInputStream(zip)) {
      report = fromStream.importZip("all.zip", in);
    }

    assertThat(report.imported()).isEqualTo(1);
    assertThat(report.problems()).singleElement().asString().startsWith("all.zip!/broken.json");
    assertThat(fromStream.revision()).isEqualTo(fromFile.revision());
    assertThat(
            fromStream
                .importZip("x.zip", new java.io.ByteArrayInputStream("{}".getBytes()))
                .problems())
        .containsExactly("x.zip: not a zip, or an empty one");
  }

  @Test
  void reimportReplacesByIdAndChangesTheRevisionOnlyWhenSomethingChanged() throws IOException {
    AdvisoryDatabase db = new AdvisoryDatabase();
    byte[] v1 =
        record("GHSA-0001", "2024-01-01T00:00:00Z", "left-pad", "1.3.0")
            .getBytes(StandardCharsets.UTF_8);
    db.importJson("a.json", v1);
    String first = db.revision();

    db.importJson("a.json", v1);
    assertThat(db.revision()).isEqualTo(first);

    db.importJson(
        "a.json",
        record("GHSA-0001", "2024-02-01T00:00:00Z", "left-pad", "1.2.0")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(db.revision()).isNotEqualTo(first);
    assertThat(db.size()).isEqualTo(1);
    assertThat(db.match(Component.library(Ecosystem.NPM, "left-pad", "1.2.5", "/x"))).isEmpty();
  }

  @Test
  void aWithdrawnRecordRemovesTheAdvisory() {
    AdvisoryDatabase db = new AdvisoryDatabase();
    db.importJson(
        "a.json",
        record("GHSA-0001", "2024-01-01T00:00:00Z", "left-pad", "1.3.0")
            .getBytes(StandardCharsets.UTF_8));

    ImportReport report =
        db.importJson(
            "b.json",
            """
            {"id": "GHSA-0001", "modified": "2024-03-01T00:00:00Z", "withdrawn": "2024-03-01T00:00:00Z"}
            """
                .getBytes(StandardCharsets.UTF_8));

    assertThat(report.withdrawn()).isEqualTo(1);
    assertThat(db.size()).isZero();
    assertThat(db.match(Component.library(Ecosystem.NPM, "left-pad", "1.0.0", "/x"))).isEmpty();
  }

  private static void put(ZipOutputStream zip, String name, String content) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    OutputStream out = zip;
    out.write(content.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }
}
