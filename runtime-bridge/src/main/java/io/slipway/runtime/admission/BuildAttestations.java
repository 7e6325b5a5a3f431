package io.slipway.runtime.admission;

import io.slipway.governance.sbom.CycloneDx;
import io.slipway.governance.sbom.Sbom;
import io.slipway.governance.signing.ImageSignature;
import io.slipway.kit.problem.Problem;
import io.slipway.runtime.tenant.ServiceToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks build-service for what it recorded about an image, by digest only (a tag can move), with
 * runtime-bridge's own service token.
 */
class BuildAttestations {

  private static final Logger log = LoggerFactory.getLogger(BuildAttestations.class);

  /** The platform's signature and SBOM of one image; either may be missing. */
  record Attestation(String reference, ImageSignature signature, Sbom sbom) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final URI base;
  private final ServiceToken token;
  private final HttpClient http;

  BuildAttestations(URI base, ServiceToken token, HttpClient http) {
    this.base = base;
    this.token = token;
    this.http = http;
  }

  /**
   * What build-service has for the digest, preferring its record for {@code reference}'s repository
   * (identical builds of two apps share a digest, not a signature); empty when it built no such
   * image.
   */
  Optional<Attestation> find(String digest, String reference) {
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(
                      base.resolve(
                          UriComponentsBuilder.fromPath("/api/v1/internal/images/{digest}")
                              .queryParam("reference", "{reference}")
                              .encode()
                              .buildAndExpand(digest, reference)
                              .toUriString()))
                  .header("Authorization", "Bearer " + token.get())
                  .timeout(Duration.ofSeconds(30))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      // the cause names internal addresses: the log keeps it, the answer does not
      log.warn(
          "build-service could not be asked for the signature of {}: {}", digest, e.toString());
      throw Problem.unavailable(
          "build-service could not be asked for the image's signature; retry shortly");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Problem.unavailable("interrupted while asking build-service");
    }
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw Problem.unavailable(
          "build-service answered " + response.statusCode() + " for image " + digest);
    }
    JsonNode body = JSON.readTree(response.body());
    JsonNode sig = body.path("signature");
    ImageSignature signature =
        sig.isObject()
            ? new ImageSignature(
                sig.path("payload").asString(),
                sig.path("signature").asString(),
                sig.path("keyId").asString())
            : null;
    Sbom sbom =
        body.path("sbom").isObject()
            ? CycloneDx.read(
                JSON.writeValueAsString(body.get("sbom")).getBytes(StandardCharsets.UTF_8))
            : null;
    return Optional.of(new Attestation(body.path("reference").asString(), signature, sbom));
  }
}
