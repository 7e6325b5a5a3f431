package io.slipway.governance.advisory;

import io.slipway.governance.advisory.Advisory.Affected;
import io.slipway.governance.advisory.Advisory.Event;
import io.slipway.governance.advisory.Advisory.Kind;
import io.slipway.governance.advisory.Advisory.Range;
import io.slipway.governance.sbom.Ecosystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Turns OSV JSON (schema 1.x) into {@link Advisory} records. Affected entries of ecosystems Slipway
 * does not scan are dropped; a withdrawn record yields nothing.
 */
final class OsvParser {

  private OsvParser() {}

  static Optional<Advisory> parse(JsonNode osv) {
    String id = osv.path("id").asString("");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("an OSV record without an id");
    }
    if (!osv.path("withdrawn").asString("").isEmpty()) {
      return Optional.empty();
    }
    List<String> aliases = new ArrayList<>();
    osv.path("aliases").forEach(a -> aliases.add(a.asString()));
    Rated recordRating = rating(osv.path("severity"), osv.path("database_specific"));
    List<Affected> affected = new ArrayList<>();
    for (JsonNode entry : osv.path("affected")) {
      JsonNode pkg = entry.path("package");
      String osvEcosystem = pkg.path("ecosystem").asString("");
      Optional<Ecosystem> ecosystem = Ecosystem.fromOsv(osvEcosystem);
      String name = pkg.path("name").asString("");
      if (ecosystem.isEmpty() || name.isEmpty()) {
        continue;
      }
      int colon = osvEcosystem.indexOf(':');
      String release = colon < 0 ? null : osvEcosystem.substring(colon + 1);
      List<Range> ranges = new ArrayList<>();
      for (JsonNode range : entry.path("ranges")) {
        List<Event> events = new ArrayList<>();
        for (JsonNode event : range.path("events")) {
          for (Kind kind : Kind.values()) {
            String field = kind.name().toLowerCase(Locale.ROOT);
            if (event.has(field)) {
              events.add(new Event(kind, event.path(field).asString()));
            }
          }
        }
        ranges.add(new Range(range.path("type").asString(""), events));
      }
      List<String> versions = new ArrayList<>();
      entry.path("versions").forEach(v -> versions.add(v.asString()));
      Rated own = rating(entry.path("severity"), entry.path("database_specific"));
      affected.add(
          new Affected(
              ecosystem.get(),
              release,
              AdvisoryDatabase.normaliseName(ecosystem.get(), name),
              ranges,
              versions,
              own.severity() == Severity.UNKNOWN ? null : own.severity(),
              own.score()));
    }
    return Optional.of(
        new Advisory(
            id,
            aliases,
            summary(osv),
            osv.path("modified").asString(""),
            recordRating.severity(),
            recordRating.score(),
            affected));
  }

  private record Rated(Severity severity, Double score) {}

  /** A CVSS v3 vector wins over a database's own label; neither gives UNKNOWN. */
  private static Rated rating(JsonNode severities, JsonNode databaseSpecific) {
    for (JsonNode s : severities) {
      String type = s.path("type").asString("");
      if (type.equals("CVSS_V3")) {
        try {
          double score = Cvss31.baseScore(s.path("score").asString(""));
          return new Rated(Severity.ofScore(score), score);
        } catch (IllegalArgumentException e) {
          continue; // a malformed vector: fall back to the database's label
        }
      }
    }
    return Severity.ofLabel(databaseSpecific.path("severity").asString(null))
        .map(s -> new Rated(s, null))
        .orElse(new Rated(Severity.UNKNOWN, null));
  }

  private static String summary(JsonNode osv) {
    String summary = osv.path("summary").asString("");
    if (summary.isEmpty()) {
      String details = osv.path("details").asString("").strip();
      int end = details.indexOf('\n');
      summary = end < 0 ? details : details.substring(0, end);
    }
    return summary.length() > 200 ? summary.substring(0, 197) + "..." : summary;
  }
}
