package io.slipway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  private static final Path DIST_PACKAGES = Path.of("/usr/lib/python3/dist-packages");

  /**
   * What the samples need: python-app's {@code humanize}, python-gunicorn-app's {@code gunicorn}.
   * What these require in turn (Debian 13's gunicorn 23 requires {@code packaging}; Debian 12's
   * 20.1 nothing, its {@code pkg_resources} being the setuptools every venv holds) is served too.
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
    Deque<String> wanted = new ArrayDeque<>(PACKAGES);
    Set<String> served = new HashSet<>();
    while (!wanted.isEmpty()) {
      String name = wanted.poll();
      if (!served.add(name)) {
        continue;
      }
      DebianModule module = DebianModule.of(DIST_PACKAGES, name);
      index.add(
          name,
          module.version(),
          PackageIndex.wheel(
              name, module.version(), module.files(), module.entryPoints(), module.requires()));
      wanted.addAll(module.requires());
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
   * points of its metadata (blank when it has none) so that its commands are installed too, and the
   * distributions it requires whatever extras and environment (their names).
   */
  record DebianModule(
      String version, Map<String, String> files, String entryPoints, List<String> requires) {

    /** Its Python files by path inside a wheel ({@code name/...py}). */
    static DebianModule of(Path distPackages, String name) throws IOException {
      // a package (a directory) or a module of one file (typing_extensions.py)
      Path module = distPackages.resolve(name.replace('-', '_'));
      if (!Files.isDirectory(module)) {
        module = distPackages.resolve(name.replace('-', '_') + ".py");
      }
      String installed = installedVersion("python3-" + name);
      if (!Files.exists(module) || installed.isEmpty()) {
        throw new IllegalStateException(
            module + " is missing: install Debian's python3-" + name + " (./slipway test does)");
      }
      // 4.4.0-1 or 1:4.4.0-1: the upstream version, without epoch and Debian revision
      String version = installed.replaceFirst("^[0-9]+:", "").replaceFirst("-[^-]*$", "");
      Map<String, String> files = new TreeMap<>();
      try (Stream<Path> walk = Files.walk(module)) {
        for (Path file : walk.filter(p -> p.toString().endsWith(".py")).toList()) {
          files.put(distPackages.relativize(file).toString(), Files.readString(file));
        }
      }
      Metadata metadata = Metadata.of(distPackages, name);
      return new DebianModule(version, files, metadata.entryPoints(), metadata.requires());
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

  /**
   * What Debian installed beside a module about it: an {@code <name>-<version>.egg-info} directory
   * (Debian 12's setup.py packages: {@code requires.txt}, whose lines before the first {@code
   * [section]} are required always) or a {@code .dist-info} one (Debian 13's pyproject packages:
   * {@code Requires-Dist} lines of {@code METADATA}, those without a marker). Either may hold
   * {@code entry_points.txt}. A module without either has no entry points and requires nothing.
   */
  record Metadata(String entryPoints, List<String> requires) {

    private static final Pattern NAME = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)");

    static Metadata of(Path distPackages, String name) throws IOException {
      String prefix = name.replace('-', '_') + "-";
      try (Stream<Path> entries = Files.list(distPackages)) {
        for (Path dir : entries.sorted().toList()) {
          String file = dir.getFileName().toString();
          boolean egg = file.endsWith(".egg-info");
          boolean wheel = file.endsWith(".dist-info");
          boolean named =
              file.startsWith(prefix)
                  && file.length() > prefix.length()
                  && Character.isDigit(file.charAt(prefix.length()));
          if (!named || !(egg || wheel) || !Files.isDirectory(dir)) {
            continue;
          }
          Path entryPoints = dir.resolve("entry_points.txt");
          String points = Files.isRegularFile(entryPoints) ? Files.readString(entryPoints) : "";
          return new Metadata(
              points, egg ? eggRequires(dir.resolve("requires.txt")) : wheelRequires(dir));
        }
      }
      return new Metadata("", List.of());
    }

    private static List<String> eggRequires(Path requires) throws IOException {
      List<String> names = new ArrayList<>();
      if (!Files.isRegularFile(requires)) {
        return names;
      }
      for (String line : Files.readAllLines(requires)) {
        if (line.startsWith("[")) {
          break; // an extra's, or one for some environments only
        }
        nameOf(line).ifPresent(names::add);
      }
      return names;
    }

    private static List<String> wheelRequires(Path dir) throws IOException {
      List<String> names = new ArrayList<>();
      Path metadata = dir.resolve("METADATA");
      if (!Files.isRegularFile(metadata)) {
        return names;
      }
      for (String line : Files.readAllLines(metadata)) {
        if (line.isEmpty()) {
          break; // the headers end; the description follows
        }
        if (line.startsWith("Requires-Dist:") && !line.contains(";")) {
          nameOf(line.substring("Requires-Dist:".length())).ifPresent(names::add);
        }
      }
      return names;
    }

    private static Optional<String> nameOf(String requirement) {
      Matcher m = NAME.matcher(requirement);
      return m.find()
          ? Optional.of(m.group(1).toLowerCase(Locale.ROOT).replace('_', '-'))
          : Optional.empty();
    }
  }

  @Override
  public void close() {
    host.close();
  }
}
