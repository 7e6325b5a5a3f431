package io.slipway.build.governance;

import io.slipway.governance.signing.ImageSignature;
import io.slipway.kit.problem.Problem;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The attestation of an image by digest, for runtime-bridge's admission (its client-credentials
 * token only): the stored signature and SBOM. Never by tag: a tag can move.
 */
@RestController
class InternalImageController {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What admission needs about one image. */
  record ImageAttestation(
      String digest, String reference, ImageSignature signature, JsonNode sbom) {}

  private final AttestationStore store;

  InternalImageController(AttestationStore store) {
    this.store = store;
  }

  @GetMapping("/api/v1/internal/images/{digest}")
  ImageAttestation image(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String digest,
      @RequestParam(required = false) String reference) {
    RuntimeBridgeCaller.require(caller, "read image attestations");
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw Problem.invalid("invalid-digest", "A digest is sha256:<64 hex digits>: " + digest);
    }
    AttestationStore.Attestation a =
        store
            .byDigest(digest, reference == null ? null : AttestationStore.repositoryOf(reference))
            .orElseThrow(() -> Problem.notFound("No image " + digest + " was built here"));
    return new ImageAttestation(a.digest(), a.reference(), a.signature(), JSON.readTree(a.sbom()));
  }
}
