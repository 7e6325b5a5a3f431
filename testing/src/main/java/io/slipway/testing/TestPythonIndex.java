package io.slipway.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The Python package index builds use in tests: the public one is not reachable here, so a {@link
 * PackageIndex} in a {@link NamespaceHost} of its own, at a private address that the build-service
 * under test must put on its egress allow-list ({@link #cidr()}), serving what the samples' {@code
 * requirements.txt} name ({@link #PACKAGES}), each as a wheel made at start from the Python files
 * of Debian's {@code python3-<name>} installed on this machine ({@code ./slipway test} installs
 * them), at the version Debian packaged.
 */
public final class TestPythonIndex implements AutoCloseable {

  /**
   * What the samples need: python-app's {@code humanize}, python-gunicorn-app's {@code gunicorn}
   * (which needs nothing else: its {@code pkg_resources} is the setuptools every venv holds).
   */
  static final List<String> PACKAGES = List.of("humanize", "gunicorn");

  private final NamespaceHost host = new NamespaceHost("slwpyi", 1);
  private PackageIndex index;

  /**
   * Starts the index with the samples' packages (its addresses are known before: {@link #url()});
   * its files and logs go to {@code dir}.
   */
  public TestPythonIndex open(Path dir) throws IOException {
    host.open();
    index = new PackageIndex(dir);
    for (String name : PACKAGES) {
      DebianModule module = DebianModule.of(name);
      index.add(
          name,
          module.version(),
          PackageIndex.wheel(name, module.version(), module.files(), module.entryPoints()));
    }
    index.serve(host, host.privateAddress(2));
    return this;
  }

  /** For {@code slipway.build.stacks.python.index-url}. */
  public String url() {
    return "http://" + host.privateAddress(2) + "/simple";
  }

  /** For {@code slipway.build.egress.allowed-cidrs}. */
  public String cidr() {
    return host.privateAddress(2) + "/32";
  }

  /** The index itself, e.g. for its request log. */
  public PackageIndex packages() {
    return index;
  }

  /**
   * A pure-Python module a Debian package installed, at the upstream version Debian packaged (its
   * own metadata may not say: Debian 12's python3-humanize calls itself 0.0.0), with the entry
   * points of its egg-info (blank when it has none) so that its commands are installed too.
   */
  record DebianModule(String version, Map<String, String> files, String entryPoints) {

    private static final Path DIST_PACKAGES = Path.of("/usr/lib/python3/dist-packages");

    /** Its Python files by path inside a wheel ({@code name/...py}). */
    static DebianModule of(String name) throws IOException {
      Path module = DIST_PACKAGES.resolve(name);
      String installed = installedVersion("python3-" + name);
      if (!Files.isDirectory(module) || installed.isEmpty()) {
        throw new IllegalStateException(
            module + " is missing: install Debian's python3-" + name + " (./slipway test does)");
      }
      // 4.4.0-1 or 1:4.4.0-1: the upstream version, without epoch and Debian revision
      String version = installed.replaceFirst("^[0-9]+:", "").replaceFirst("-[^-]*$", "");
      Map<String, String> files = new TreeMap<>();
      try (Stream<Path> walk = Files.walk(module)) {
        for (Path file : walk.filter(p -> p.toString().endsWith(".py")).toList()) {
          files.put(DIST_PACKAGES.relativize(file).toString(), Files.readString(file));
        }
      }
      return new DebianModule(version, files, entryPoints(name));
    }

    /** The {@code entry_points.txt} Debian installed with the module; blank when none. */
    private static String entryPoints(String name) throws IOException {
      try (DirectoryStream<Path> eggInfo =
          Files.newDirectoryStream(DIST_PACKAGES, name + "-*.egg-info")) {
        for (Path dir : eggInfo) {
          Path file = dir.resolve("entry_points.txt");
          if (Files.isRegularFile(file)) {
            return Files.readString(file);
          }
        }
      }
      return "";
    }

    /** The Debian package's installed version; empty when it is not installed. */
    private static String installedVersion(String pkg) throws IOException {
      Process query =
          new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", pkg)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String version = new String(query.getInputStream().readAllBytes()).strip();
      try {
        return query.waitFor() == 0 ? version : "";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
  }

  @Override
  public void close() {
    host.close();
  }
}
