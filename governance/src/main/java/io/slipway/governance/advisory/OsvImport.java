package io.slipway.governance.advisory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One import: OSV files read onto a copy of the stored records, counting what happened. A record
 * replaces a stored one with its id; a withdrawn record removes its id.
 */
final class OsvImport {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Map<String, Advisory> records;
  private int imported;
  private int withdrawn;
  private final List<String> problems = new ArrayList<>();

  OsvImport(Map<String, Advisory> stored) {
    this.records = new TreeMap<>(stored);
  }

  Map<String, Advisory> records() {
    return records;
  }

  ImportReport report(String revision) {
    return new ImportReport(imported, withdrawn, problems, revision);
  }

  /** A {@code .json} file, a {@code .zip} of them, or a directory of either (recursively). */
  void readPath(Path source) throws IOException {
    if (Files.isDirectory(source)) {
      try (Stream<Path> files = Files.walk(source)) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          readFile(file);
        }
      }
    } else {
      readFile(source);
    }
  }

  private void readFile(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".zip")) {
      try (ZipFile zip = new ZipFile(file.toFile())) {
        for (ZipEntry entry :
            zip.stream().filter(e -> !e.isDirectory() && e.getName().endsWith(".json")).toList()) {
          try (InputStream in = zip.getInputStream(entry)) {
            readJson(file.getFileName() + "!/" + entry.getName(), in.readAllBytes());
          }
        }
      }
    } else if (name.endsWith(".json")) {
      readJson(file.toString(), Files.readAllBytes(file));
    }
  }

  /** A zip of {@code .json} files read as a stream (as it arrives over HTTP), entry by entry. */
  void readZip(String name, InputStream in) throws IOException {
    ZipInputStream zip = new ZipInputStream(in);
    int entries = 0;
    for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
      entries++;
      if (!entry.isDirectory() && entry.getName().endsWith(".json")) {
        readJson(name + "!/" + entry.getName(), zip.readAllBytes());
      }
    }
    if (entries == 0) {
      problems.add(name + ": not a zip, or an empty one");
    }
  }

  /** One record or an array of records. */
  void readJson(String name, byte[] bytes) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JacksonException e) {
      problems.add(name + ": not valid JSON (" + e.getOriginalMessage() + ")");
      return;
    }
    List<JsonNode> batch = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(batch::add);
    } else {
      batch.add(root);
    }
    for (JsonNode record : batch) {
      try {
        Optional<Advisory> advisory = OsvParser.parse(record);
        if (advisory.isPresent()) {
          records.put(advisory.get().id(), advisory.get());
          imported++;
        } else {
          records.remove(record.path("id").asString());
          withdrawn++;
        }
      } catch (IllegalArgumentException e) {
        problems.add(name + ": " + e.getMessage());
      }
    }
  }
}
