package io.slipway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A Python package index of a test's own (the PEP 503 simple API as static files) served over HTTP
 * from a {@link NamespaceHost}, with a log of the paths it was asked for.
 */
public final class PackageIndex {

  /**
   * Serves the directory {@code argv[1]} on port 80, logging each path asked to {@code argv[2]}.
   */
  static final String SERVER =
      """
      import http.server, functools, sys
      root, log = sys.argv[1], sys.argv[2]
      class Index(http.server.SimpleHTTPRequestHandler):
          def do_GET(self):
              with open(log, 'a') as f:
                  f.write(self.path + '\\n')
              super().do_GET()
          def log_message(self, *args):
              pass
      handler = functools.partial(Index, directory=root)
      http.server.ThreadingHTTPServer(('0.0.0.0', 80), handler).serve_forever()
      """;

  private final Path root;
  private final Path requestLog;

  /** An empty index in {@code dir}. */
  public PackageIndex(Path dir) throws IOException {
    this.root = Files.createDirectories(dir.resolve("index"));
    this.requestLog = Files.writeString(dir.resolve("index-requests"), "");
    Files.createDirectories(root.resolve("simple"));
    Files.createDirectories(root.resolve("files"));
  }

  /** Adds a wheel to the index (a project of its own); returns the wheel's file name. */
  public String add(String project, String version, byte[] wheel) throws IOException {
    String file = project.replace('-', '_') + "-" + version + "-py3-none-any.whl";
    Files.write(root.resolve("files").resolve(file), wheel);
    Path page = Files.createDirectories(root.resolve("simple").resolve(project));
    Files.writeString(
        page.resolve("index.html"),
        "<!DOCTYPE html><html><body><a href=\"../../files/"
            + file
            + "#sha256="
            + HexFormat.of().formatHex(sha256(wheel))
            + "\">"
            + file
            + "</a></body></html>\n");
    return file;
  }

  /** A wheel the index holds, by its file name. */
  public Path file(String wheel) {
    return root.resolve("files").resolve(wheel);
  }

  /** Serves the index on port 80 of {@code address} in {@code host}. */
  public void serve(NamespaceHost host, String address) throws IOException {
    host.serve(SERVER, root.getParent(), address, root.toString(), requestLog.toString());
  }

  /** The paths asked for so far, in order. */
  public List<String> requests() throws IOException {
    return Files.readAllLines(requestLog, StandardCharsets.UTF_8);
  }

  /**
   * A pure-Python wheel of one module, {@code files} by path inside it (e.g. {@code
   * greeting/__init__.py}), with its METADATA, WHEEL and a RECORD that lists every file with its
   * hash and size, as installers check it.
   */
  public static byte[] wheel(String project, String version, Map<String, String> files) {
    return wheel(project, version, files, "");
  }

  /**
   * The same with the module's {@code entry_points.txt} (none when blank), from whose {@code
   * [console_scripts]} the installer makes commands such as {@code bin/gunicorn}.
   */
  public static byte[] wheel(
      String project, String version, Map<String, String> files, String entryPoints) {
    return wheel(project, version, files, entryPoints, List.of());
  }

  /**
   * The same requiring the distributions {@code requires} names ({@code Requires-Dist}), which the
   * installer then fetches from the index too.
   */
  public static byte[] wheel(
      String project,
      String version,
      Map<String, String> files,
      String entryPoints,
      List<String> requires) {
    String distInfo = project.replace('-', '_') + "-" + version + ".dist-info/";
    Map<String, byte[]> entries = new LinkedHashMap<>();
    files.forEach((path, text) -> entries.put(path, bytes(text)));
    if (!entryPoints.isBlank()) {
      entries.put(distInfo + "entry_points.txt", bytes(entryPoints));
    }
    entries.put(
        distInfo + "METADATA",
        bytes(
            "Metadata-Version: 2.1\nName: "
                + project
                + "\nVersion: "
                + version
                + "\n"
                + requires.stream()
                    .map(name -> "Requires-Dist: " + name + "\n")
                    .collect(Collectors.joining())));
    entries.put(
        distInfo + "WHEEL",
        bytes(
            "Wheel-Version: 1.0\nGenerator: slipway-test\nRoot-Is-Purelib: true\n"
                + "Tag: py3-none-any\n"));
    List<String> record = new ArrayList<>();
    entries.forEach(
        (path, content) ->
            record.add(
                path
                    + ",sha256="
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(content))
                    + ","
                    + content.length));
    record.add(distInfo + "RECORD,,");
    entries.put(distInfo + "RECORD", bytes(String.join("\n", record) + "\n"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
