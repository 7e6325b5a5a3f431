package io.slipway.build.governance;

import io.slipway.governance.advisory.AdvisoryDatabase;
import io.slipway.governance.advisory.ImportReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OSV files an admin imported, kept on disk in import order and re-imported at every start, so
 * the in-memory advisory database survives restarts (and every replica converges on the same data).
 */
class AdvisoryFiles {

  private static final Logger log = LoggerFactory.getLogger(AdvisoryFiles.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final AdvisoryDatabase database;

  AdvisoryFiles(Path dir, AdvisoryDatabase database) throws IOException {
    this.dir = dir;
    this.database = database;
    Files.createDirectories(dir);
    for (Path file : stored()) {
      ImportReport report = database.importFrom(file);
      report.problems().forEach(p -> log.warn("Advisory file {}: {}", file.getFileName(), p));
    }
    log.info("{} advisories loaded, revision {}", database.size(), database.revision());
  }

  AdvisoryDatabase database() {
    return database;
  }

  /**
   * Keeps the uploaded file and imports it. Files are named by time and content hash, so imports
   * replay in the order they were made.
   */
  synchronized ImportReport importUpload(byte[] content, boolean zip) throws IOException {
    String hash = HexFormat.of().formatHex(sha256(content)).substring(0, 16);
    Path target = dir.resolve(STAMP.format(Instant.now()) + "-" + hash + (zip ? ".zip" : ".json"));
    Path temporary = Files.createTempFile(dir, ".upload-", ".tmp");
    Files.write(temporary, content);
    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    return database.importFrom(target);
  }

  /** A kept file: its name (which sorts in import order) and size. */
  record StoredFile(String name, long size) {}

  /**
   * The kept files imported after {@code cursor} (a file name; null or blank: all of them), in
   * import order: what a verifier that has replayed up to {@code cursor} still has to import.
   */
  List<StoredFile> after(String cursor) throws IOException {
    List<StoredFile> files = new ArrayList<>();
    for (Path file : stored()) {
      String name = file.getFileName().toString();
      if (cursor == null || cursor.isBlank() || name.compareTo(cursor) > 0) {
        files.add(new StoredFile(name, Files.size(file)));
      }
    }
    return files;
  }

  /** A kept file by its name, if there is one: never any other path. */
  Optional<Path> file(String name) throws IOException {
    return stored().stream().filter(f -> f.getFileName().toString().equals(name)).findFirst();
  }

  private List<Path> stored() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.toString().endsWith(".zip") || f.toString().endsWith(".json"))
          .sorted()
          .toList();
    }
  }

  private static byte[] sha256(byte[] content) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(content);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
