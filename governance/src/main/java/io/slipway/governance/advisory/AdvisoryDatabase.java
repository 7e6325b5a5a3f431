package io.slipway.governance.advisory;

import io.slipway.governance.advisory.Advisory.Affected;
import io.slipway.governance.advisory.Advisory.Range;
import io.slipway.governance.sbom.Component;
import io.slipway.governance.sbom.Ecosystem;
import io.slipway.governance.sbom.Sbom;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An in-memory index of OSV advisories, keyed by ecosystem and package name, filled by imports of
 * OSV JSON files (the admin's offline sync) and matched against SBOMs.
 *
 * <p>Thread-safe: imports build a new index and publish it at once, so a scan sees the database
 * either before or after an import, never half of one. An import adds records and replaces stored
 * records with the same id; it never removes others (a withdrawn record removes its id).
 */
public final class AdvisoryDatabase {

  private record Snapshot(
      Map<String, Advisory> byId, Map<String, List<Advisory>> byPackage, String revision) {}

  private volatile Snapshot snapshot = index(new TreeMap<>());

  /**
   * Imports OSV records from a {@code .json} file (one record, or an array of records), a {@code
   * .zip} of such files (OSV's per-ecosystem {@code all.zip}), or a directory holding either (read
   * recursively). Unreadable files and records are reported, not fatal.
   */
  public synchronized ImportReport importFrom(Path source) throws IOException {
    OsvImport batch = new OsvImport(snapshot.byId());
    batch.readPath(source);
    snapshot = index(batch.records());
    return batch.report(snapshot.revision());
  }

  /** Imports records from JSON bytes (one record or an array); {@code name} appears in problems. */
  public synchronized ImportReport importJson(String name, byte[] json) {
    OsvImport batch = new OsvImport(snapshot.byId());
    batch.readJson(name, json);
    snapshot = index(batch.records());
    return batch.report(snapshot.revision());
  }

  /**
   * Imports the {@code .json} records of a zip read from {@code zip} as it arrives (not closed
   * here); {@code name} appears in problems.
   *
   * @throws IOException if the stream fails or is not a zip
   */
  public synchronized ImportReport importZip(String name, InputStream zip) throws IOException {
    OsvImport batch = new OsvImport(snapshot.byId());
    batch.readZip(name, zip);
    snapshot = index(batch.records());
    return batch.report(snapshot.revision());
  }

  /**
   * A fingerprint of the database's content (every record's id and modified time). It changes
   * exactly when an import changed something; store it with each scan result and rescan an image
   * when it differs.
   */
  public String revision() {
    return snapshot.revision();
  }

  /** How many advisories are stored. */
  public int size() {
    return snapshot.byId().size();
  }

  /** The stored advisory with this id. */
  public Optional<Advisory> advisory(String id) {
    return Optional.ofNullable(snapshot.byId().get(id));
  }

  /** The findings for every component of the SBOM, sorted by severity (worst first), then id. */
  public List<Finding> scan(Sbom sbom) {
    Snapshot current = snapshot;
    List<Finding> findings = new ArrayList<>();
    for (Component component : sbom.components()) {
      findings.addAll(match(current, component));
    }
    findings.sort(
        Comparator.comparing((Finding f) -> -f.severity().rank())
            .thenComparing(Finding::advisoryId)
            .thenComparing(f -> f.component().purl()));
    return findings;
  }

  /** The findings for one package. */
  public List<Finding> match(Component component) {
    return match(snapshot, component);
  }

  private static List<Finding> match(Snapshot db, Component component) {
    if (component.ecosystem() == Ecosystem.DEBIAN
        && !component.purl().startsWith("pkg:deb/debian/")) {
      // Ubuntu and other dpkg-based distributions rebuild packages with their own versions; Debian
      // advisories would give false answers, and their own OSV ecosystems are not supported.
      return List.of();
    }
    Optional<VersionScheme> ecosystemScheme = VersionScheme.forEcosystem(component.ecosystem());
    String key =
        key(component.ecosystem(), normaliseName(component.ecosystem(), component.advisoryName()));
    Map<String, Finding> found = new LinkedHashMap<>();
    for (Advisory advisory : db.byPackage().getOrDefault(key, List.of())) {
      for (Affected affected : advisory.affected()) {
        if (!affected.name().equals(normaliseName(component.ecosystem(), component.advisoryName()))
            || affected.ecosystem() != component.ecosystem()
            || !sameRelease(affected.release(), component.distroRelease())) {
          continue;
        }
        Optional<String> fixed =
            affectedVersion(component.advisoryVersion(), affected, ecosystemScheme);
        if (fixed.isPresent() && !found.containsKey(advisory.id())) {
          Severity severity =
              affected.severity() != null ? affected.severity() : advisory.severity();
          Double score = affected.severity() != null ? affected.score() : advisory.score();
          found.put(
              advisory.id(),
              new Finding(
                  advisory.id(),
                  advisory.aliases(),
                  component,
                  severity,
                  score,
                  fixed.get().isEmpty() ? null : fixed.get(),
                  advisory.summary()));
        }
      }
    }
    return List.copyOf(found.values());
  }

  /** Empty if not affected; else the fixed version, or "" when there is none. */
  private static Optional<String> affectedVersion(
      String version, Affected affected, Optional<VersionScheme> ecosystemScheme) {
    Optional<String> result = Optional.empty();
    for (Range range : affected.ranges()) {
      Optional<VersionScheme> scheme =
          switch (range.type()) {
            case "SEMVER" -> Optional.of(VersionScheme.semver());
            case "ECOSYSTEM" -> ecosystemScheme;
            default -> Optional.empty();
          };
      if (scheme.isEmpty()) {
        continue;
      }
      try {
        Optional<String> answer = RangeEvaluator.affected(version, range, scheme.get());
        if (answer.isPresent() && (result.isEmpty() || result.get().isEmpty())) {
          result = answer;
        }
      } catch (IllegalArgumentException unorderable) {
        continue; // a version the scheme cannot order is matched by the explicit list only
      }
    }
    if (result.isEmpty() && listed(version, affected.versions(), ecosystemScheme)) {
      result = Optional.of("");
    }
    return result;
  }

  private static boolean listed(
      String version, List<String> versions, Optional<VersionScheme> scheme) {
    for (String v : versions) {
      if (v.equals(version)) {
        return true;
      }
      try {
        if (scheme.isPresent() && scheme.get().compare(v, version) == 0) {
          return true;
        }
      } catch (IllegalArgumentException unorderable) {
        continue;
      }
    }
    return false;
  }

  /** An advisory for "Debian:12" applies to Debian 12 only; one for "Debian" to every release. */
  private static boolean sameRelease(String advisoryRelease, String componentRelease) {
    return advisoryRelease == null
        || componentRelease == null
        || advisoryRelease.equals(componentRelease);
  }

  /** Names as each ecosystem compares them: PyPI per PEP 503, the others exactly. */
  static String normaliseName(Ecosystem ecosystem, String name) {
    return ecosystem == Ecosystem.PYPI
        ? name.strip().toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-")
        : name;
  }

  private static String key(Ecosystem ecosystem, String name) {
    return ecosystem.name() + "\u0000" + name;
  }

  private static Snapshot index(Map<String, Advisory> byId) {
    Map<String, List<Advisory>> byPackage = new HashMap<>();
    MessageDigest sha = sha256();
    for (Advisory advisory : byId.values()) {
      sha.update(
          (advisory.id() + "\n" + advisory.modified() + "\n").getBytes(StandardCharsets.UTF_8));
      advisory.affected().stream()
          .map(a -> key(a.ecosystem(), a.name()))
          .distinct()
          .forEach(k -> byPackage.computeIfAbsent(k, x -> new ArrayList<>()).add(advisory));
    }
    return new Snapshot(
        Map.copyOf(byId), byPackage, "sha256:" + HexFormat.of().formatHex(sha.digest()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
