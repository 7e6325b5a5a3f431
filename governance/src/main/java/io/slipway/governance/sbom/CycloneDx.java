package io.slipway.governance.sbom;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes and reads an {@link Sbom} as CycloneDX 1.5 JSON.
 *
 * <p>The image is {@code metadata.component} (type {@code container}, version = manifest digest).
 * Each package is a {@code library} component whose {@code bom-ref} is its purl. What CycloneDX has
 * no field for is kept in {@code properties} under the {@code slipway:} namespace ({@code
 * slipway:location}, {@code slipway:ecosystem}, {@code slipway:source-name}, {@code
 * slipway:source-version}, {@code slipway:distro-release}), so a stored SBOM can be read back and
 * rescanned without the image. The serial number is derived from the digest, so the same image
 * always gets the same one.
 */
public final class CycloneDx {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String NS = "slipway:";

  private CycloneDx() {}

  /** The SBOM as CycloneDX 1.5 JSON (UTF-8). */
  public static byte[] write(Sbom sbom) {
    ObjectNode bom = JSON.createObjectNode();
    bom.put("bomFormat", "CycloneDX");
    bom.put("specVersion", "1.5");
    bom.put(
        "serialNumber",
        "urn:uuid:"
            + UUID.nameUUIDFromBytes(sbom.manifestDigest().getBytes(StandardCharsets.UTF_8)));
    bom.put("version", 1);
    ObjectNode metadata = bom.putObject("metadata");
    metadata.put("timestamp", sbom.created().truncatedTo(ChronoUnit.SECONDS).toString());
    ObjectNode tool = metadata.putObject("tools").putArray("components").addObject();
    tool.put("type", "application");
    tool.put("name", "slipway-governance");
    ObjectNode image = metadata.putObject("component");
    image.put("type", "container");
    image.put("bom-ref", sbom.manifestDigest());
    image.put("name", sbom.imageReference());
    image.put("version", sbom.manifestDigest());
    ArrayNode components = bom.putArray("components");
    for (Component c : sbom.components()) {
      ObjectNode node = components.addObject();
      node.put("type", "library");
      node.put("bom-ref", c.purl());
      node.put("name", c.name());
      node.put("version", c.version());
      node.put("purl", c.purl());
      ArrayNode properties = node.putArray("properties");
      property(properties, "ecosystem", c.ecosystem().name());
      property(properties, "location", c.location());
      property(properties, "source-name", c.sourceName());
      property(properties, "source-version", c.sourceVersion());
      property(properties, "distro-release", c.distroRelease());
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(bom);
  }

  /**
   * Reads an SBOM this class wrote.
   *
   * @throws IllegalArgumentException if the JSON is not a CycloneDX BOM of an image
   */
  public static Sbom read(byte[] json) {
    JsonNode bom = JSON.readTree(json);
    if (!"CycloneDX".equals(bom.path("bomFormat").asString(""))) {
      throw new IllegalArgumentException("not a CycloneDX BOM");
    }
    JsonNode image = bom.path("metadata").path("component");
    List<Component> components = new ArrayList<>();
    for (JsonNode node : bom.path("components")) {
      Map<String, String> props = new HashMap<>();
      for (JsonNode p : node.path("properties")) {
        String name = p.path("name").asString("");
        if (name.startsWith(NS)) {
          props.put(name.substring(NS.length()), p.path("value").asString(""));
        }
      }
      if (!props.containsKey("ecosystem")) {
        continue;
      }
      components.add(
          new Component(
              Ecosystem.valueOf(props.get("ecosystem")),
              node.path("name").asString(),
              node.path("version").asString(),
              node.path("purl").asString(),
              props.get("location"),
              props.get("source-name"),
              props.get("source-version"),
              props.get("distro-release")));
    }
    return new Sbom(
        image.path("name").asString(""),
        image.path("version").asString(""),
        Instant.parse(bom.path("metadata").path("timestamp").asString()),
        components);
  }

  private static void property(ArrayNode properties, String name, String value) {
    if (value != null) {
      ObjectNode p = properties.addObject();
      p.put("name", NS + name);
      p.put("value", value);
    }
  }
}
