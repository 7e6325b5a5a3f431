package io.slipway.governance.signing;

import java.time.Instant;

/**
 * One key of a {@link Keyring}, as an administrator sees it. Never carries private material.
 *
 * @param id hex SHA-256 of the DER SubjectPublicKeyInfo
 * @param active whether this key signs new images
 * @param trusted whether signatures by this key verify (false once distrusted)
 * @param createdAt when the key was generated (the modification time of its public key file, which
 *     is written once and only ever renamed)
 * @param publicKeyPem the SubjectPublicKeyInfo PEM, for {@code openssl}, skopeo or cosign
 */
public record SigningKey(
    String id, boolean active, boolean trusted, Instant createdAt, String publicKeyPem) {}
