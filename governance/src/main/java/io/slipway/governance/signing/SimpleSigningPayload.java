package io.slipway.governance.signing;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The "simple signing" payload that cosign signs for a container image: the image's manifest digest
 * and the repository it was pushed to, under {@code critical}, with type {@code cosign container
 * image signature}.
 *
 * @param dockerReference the repository (or reference) the image is known by
 * @param manifestDigest the manifest digest, {@code sha256:<hex>}
 */
public record SimpleSigningPayload(String dockerReference, String manifestDigest) {

  /** The {@code critical.type} cosign writes and checks. */
  public static final String TYPE = "cosign container image signature";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  public SimpleSigningPayload {
    if (manifestDigest == null || !manifestDigest.matches("sha256:[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "a manifest digest sha256:<64 hex> is required: " + manifestDigest);
    }
    if (dockerReference == null || dockerReference.isBlank()) {
      throw new IllegalArgumentException("a docker reference is required");
    }
  }

  /** The payload as compact JSON, fields in cosign's order; these exact bytes are signed. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference);
    critical.putObject("image").put("docker-manifest-digest", manifestDigest);
    critical.put("type", TYPE);
    root.putNull("optional");
    return JSON.writeValueAsString(root);
  }

  /**
   * Reads a payload, checking its type.
   *
   * @throws IllegalArgumentException if it is not a cosign simple-signing payload
   */
  public static SimpleSigningPayload parse(String json) {
    JsonNode critical;
    try {
      critical = JSON.readTree(json).path("critical");
    } catch (JacksonException e) {
      throw new IllegalArgumentException("the signed payload is not JSON", e);
    }
    if (!TYPE.equals(critical.path("type").asString(""))) {
      throw new IllegalArgumentException(
          "the signed payload is not a cosign container image signature");
    }
    return new SimpleSigningPayload(
        critical.path("identity").path("docker-reference").asString(""),
        critical.path("image").path("docker-manifest-digest").asString(""));
  }
}
