package io.slipway.build.governance;

import io.slipway.governance.signing.Keyring;
import io.slipway.governance.signing.SigningKey;
import io.slipway.kit.audit.AuditRecorder;
import io.slipway.kit.problem.Problem;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The platform's image-signing keys, for platform admins: list them, rotate (a new key signs from
 * now on; the old one keeps verifying) and distrust a retired key after a compromise.
 * runtime-bridge follows both through {@code InternalGovernanceController}'s public keys. Private
 * keys never leave the keyring.
 */
@RestController
@RequestMapping("/api/v1/admin/signing-keys")
class SigningKeyController {

  private static final Logger log = LoggerFactory.getLogger(SigningKeyController.class);

  /** One key as an admin sees it. */
  record KeyView(
      String id, boolean active, boolean trusted, Instant createdAt, String publicKeyPem) {
    static KeyView of(SigningKey key) {
      return new KeyView(
          key.id(), key.active(), key.trusted(), key.createdAt(), key.publicKeyPem());
    }
  }

  private final Keyring keyring;
  private final AuditRecorder audit;

  SigningKeyController(Keyring keyring, AuditRecorder audit) {
    this.keyring = keyring;
    this.audit = audit;
  }

  @GetMapping
  List<KeyView> list(@AuthenticationPrincipal Jwt caller) throws IOException {
    PlatformAdmin.require(caller, "Reading the signing keys");
    return keyring.keys().stream().map(KeyView::of).toList();
  }

  @GetMapping("/{id}")
  KeyView key(@AuthenticationPrincipal Jwt caller, @PathVariable String id) throws IOException {
    PlatformAdmin.require(caller, "Reading the signing keys");
    return find(id);
  }

  /** Rotation: 201 with the new active key. */
  @PostMapping
  ResponseEntity<KeyView> rotate(@AuthenticationPrincipal Jwt caller) throws IOException {
    PlatformAdmin.require(caller, "Rotating the signing key");
    String old = keyring.activeKeyId();
    String id = keyring.rotate();
    log.info(
        "Image signing key rotated by {}: {} signs now, {} stays trusted",
        PlatformAdmin.name(caller),
        id,
        old);
    // the keyring is files, not this database: recorded right after the change, in this request
    audit.record(
        caller,
        null,
        "signing-key.rotated",
        "signing-keys/" + id,
        old == null ? Map.of("key", id) : Map.of("key", id, "previous", old));
    return ResponseEntity.created(URI.create("/api/v1/admin/signing-keys/" + id)).body(find(id));
  }

  /** Distrust: 204; 409 for the active key, 404 for a key the keyring never had. */
  @DeleteMapping("/{id}")
  ResponseEntity<Void> distrust(@AuthenticationPrincipal Jwt caller, @PathVariable String id)
      throws IOException {
    PlatformAdmin.require(caller, "Distrusting a signing key");
    if (find(id).active()) {
      throw activeKey(id);
    }
    // A key never becomes active again once retired, so nothing can change the answer in between.
    keyring.distrust(id);
    log.info("Image signing key {} distrusted by {}", id, PlatformAdmin.name(caller));
    audit.record(caller, null, "signing-key.distrusted", "signing-keys/" + id, Map.of("key", id));
    return ResponseEntity.noContent().build();
  }

  private KeyView find(String id) throws IOException {
    return keyring.keys().stream()
        .filter(key -> key.id().equals(id))
        .findFirst()
        .map(KeyView::of)
        .orElseThrow(() -> Problem.notFound("No signing key " + id));
  }

  private static Problem activeKey(String id) {
    return Problem.conflict(
        "active-signing-key",
        "Key "
            + id
            + " is the active signing key and cannot be distrusted; rotate first"
            + " (POST /api/v1/admin/signing-keys), then distrust it");
  }
}
