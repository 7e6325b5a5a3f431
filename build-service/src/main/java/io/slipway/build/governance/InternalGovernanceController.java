package io.slipway.build.governance;

import io.slipway.governance.signing.Keyring;
import io.slipway.governance.signing.SigningKey;
import io.slipway.kit.problem.Problem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What admission in runtime-bridge verifies with, served by its owner (issue 20: no service reads
 * another's files): the trusted public keys of the signing keyring (never a private key), and the
 * OSV files kept here, in import order from a cursor, so that runtime-bridge replays the same
 * imports as the build scan. runtime-bridge's service token only.
 */
@RestController
@RequestMapping("/api/v1/internal")
class InternalGovernanceController {

  /** A trusted public key: its id (hex SHA-256 of the key) and its SubjectPublicKeyInfo PEM. */
  record PublicKeyView(String keyId, String publicKeyPem) {}

  /** Every trusted key, the active one among them; a distrusted key is not listed. */
  record SigningKeysView(List<PublicKeyView> keys) {}

  /** A kept OSV file. */
  record AdvisoryFileView(String name, long size) {}

  /**
   * The files after the cursor, in import order, and this service's advisory revision (what a
   * verifier that imported every file reaches).
   */
  record AdvisoryFilesView(String revision, List<AdvisoryFileView> files) {}

  private final Keyring keyring;
  private final AdvisoryFiles advisories;

  InternalGovernanceController(Keyring keyring, AdvisoryFiles advisories) {
    this.keyring = keyring;
    this.advisories = advisories;
  }

  @GetMapping("/signing-keys")
  SigningKeysView signingKeys(@AuthenticationPrincipal Jwt caller) throws IOException {
    RuntimeBridgeCaller.require(caller, "read the trusted signing keys");
    // one read of the keyring: a key distrusted meanwhile is either listed whole or not at all
    return new SigningKeysView(
        keyring.keys().stream()
            .filter(SigningKey::trusted)
            .map(k -> new PublicKeyView(k.id(), k.publicKeyPem()))
            .toList());
  }

  /**
   * @param after the name of the last file the caller imported; none: every kept file
   */
  @GetMapping("/advisories")
  AdvisoryFilesView advisories(
      @AuthenticationPrincipal Jwt caller, @RequestParam(required = false) String after)
      throws IOException {
    RuntimeBridgeCaller.require(caller, "read the advisories");
    return new AdvisoryFilesView(
        advisories.database().revision(),
        advisories.after(after).stream()
            .map(f -> new AdvisoryFileView(f.name(), f.size()))
            .toList());
  }

  /** One kept file as it was imported: OSV JSON, or a zip of such files. */
  @GetMapping("/advisories/{name}")
  ResponseEntity<Resource> advisoryFile(
      @AuthenticationPrincipal Jwt caller, @PathVariable String name) throws IOException {
    RuntimeBridgeCaller.require(caller, "read the advisories");
    Path file =
        advisories
            .file(name)
            .orElseThrow(() -> Problem.notFound("No advisory file " + name + " is kept here"));
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .body(new FileSystemResource(file));
  }
}
