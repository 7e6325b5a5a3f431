package io.slipway.governance.signing;

/**
 * The result of checking an {@link ImageSignature} against the trusted platform keys.
 *
 * <p>A valid check says only that a trusted key signed this payload; whether the payload's digest
 * is the digest about to run is admission's question (a tag can move).
 *
 * @param valid whether a trusted key's signature over the payload verified
 * @param signedDigest the manifest digest in the payload, or {@code null} if unreadable
 * @param signedReference the docker reference in the payload, or {@code null}
 * @param keyId the trusted key that verified it, or {@code null}
 * @param problem why it is not valid, or {@code null}
 */
public record SignatureCheck(
    boolean valid, String signedDigest, String signedReference, String keyId, String problem) {

  static SignatureCheck invalid(SimpleSigningPayload payload, String problem) {
    return new SignatureCheck(
        false,
        payload == null ? null : payload.manifestDigest(),
        payload == null ? null : payload.dockerReference(),
        null,
        problem);
  }
}
