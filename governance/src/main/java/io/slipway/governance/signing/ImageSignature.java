package io.slipway.governance.signing;

/**
 * A signature of one image, as stored with the image.
 *
 * <p>This is what cosign stores in a {@code sha256-<digest>.sig} artifact: the payload is the layer
 * content, the signature its {@code dev.cosignproject.cosign/signature} annotation.
 *
 * @param payload the signed {@link SimpleSigningPayload} JSON, exactly as signed (UTF-8)
 * @param signature ECDSA P-256 over SHA-256 of the payload, DER, base64
 * @param keyId the signing key's id (hex SHA-256 of its SubjectPublicKeyInfo); a hint for the
 *     verifier, not trusted on its own
 */
public record ImageSignature(String payload, String signature, String keyId) {}
