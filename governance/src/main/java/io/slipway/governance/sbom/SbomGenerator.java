package io.slipway.governance.sbom;

import io.slipway.governance.image.ExecutableProbe;
import io.slipway.governance.image.ImageFiles;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Lists the packages in an image: OS packages (dpkg, apk) and language packages (Maven jars, npm,
 * Python, Go modules). Stateless and thread-safe.
 */
public final class SbomGenerator {

  private final List<PackageScanner> scanners =
      List.of(
          new DpkgScanner(),
          new ApkScanner(),
          new MavenJarScanner(),
          new NpmScanner(),
          new PythonScanner(),
          new GoModScanner(),
          new GoBinaryScanner());

  // one instance each, so that a reader caching layers per filter sees the same filter every time
  private final Predicate<String> wantedFiles =
      path -> scanners.stream().anyMatch(s -> s.wants(path));
  private static final ExecutableProbe PROBE = GoBinaryScanner::probe;

  /** The files the scanners read: pass to the image reader so only those are held in memory. */
  public Predicate<String> wantedFiles() {
    return wantedFiles;
  }

  /** Extracts Go build information from executables that no path rule selects. */
  public ExecutableProbe executableProbe() {
    return PROBE;
  }

  /**
   * The SBOM of an image. A package found in several places is listed once (its first location in
   * path order).
   */
  public Sbom generate(String imageReference, ImageFiles files, Instant created) {
    Map<String, Component> byPurl = new LinkedHashMap<>();
    scanners.stream()
        .flatMap(s -> s.scan(files).stream())
        .sorted(
            Comparator.comparing(Component::purl).thenComparing(c -> String.valueOf(c.location())))
        .forEach(c -> byPurl.putIfAbsent(c.purl(), c));
    return new Sbom(imageReference, files.manifestDigest(), created, List.copyOf(byPurl.values()));
  }
}
