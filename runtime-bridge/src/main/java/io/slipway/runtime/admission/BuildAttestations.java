package io.slipway.runtime.admission;

import io.slipway.governance.sbom.CycloneDx;
import io.slipway.governance.sbom.Sbom;
import io.slipway.governance.signing.ImageSignature;
import io.slipway.kit.client.BuildService;
import io.slipway.kit.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
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

  private final BuildService buildService;

  BuildAttestations(BuildService buildService) {
    this.buildService = buildService;
  }

  /**
   * What build-service has for the digest, preferring its record for {@code reference}'s repository
   * (identical builds of two apps share a digest, not a signature); empty when it built no such
   * image.
   */
  Optional<Attestation> find(String digest, String reference) {
    BuildService.ImageRecord image;
    try {
      image = buildService.image(digest, reference);
    } catch (HttpClientErrorException.NotFound e) {
      return Optional.empty();
    } catch (RestClientResponseException e) {
      throw Problem.unavailable(
          "build-service answered " + e.getStatusCode().value() + " for image " + digest);
    } catch (RestClientException e) {
      // the cause names internal addresses: the log keeps it, the answer does not
      log.warn(
          "build-service could not be asked for the signature of {}: {}", digest, e.toString());
      throw Problem.unavailable(
          "build-service could not be asked for the image's signature; retry shortly");
    }
    if (image == null) {
      throw Problem.unavailable("build-service answered nothing for image " + digest);
    }
    BuildService.Signature sig = image.signature();
    ImageSignature signature =
        sig == null ? null : new ImageSignature(sig.payload(), sig.signature(), sig.keyId());
    Sbom sbom =
        image.sbom() != null && image.sbom().isObject()
            ? CycloneDx.read(JSON.writeValueAsString(image.sbom()).getBytes(StandardCharsets.UTF_8))
            : null;
    return Optional.of(new Attestation(image.reference(), signature, sbom));
  }
}
