package io.slipway.governance.policy;

import io.slipway.governance.advisory.Finding;
import io.slipway.governance.signing.SignatureCheck;
import java.util.List;

/**
 * What is known about one image at the moment it is about to run.
 *
 * @param reference the reference the deployment names (tag and/or digest)
 * @param pinnedDigest the manifest digest that will actually run, resolved now: the runtime starts
 *     the container by this digest
 * @param signature the check of the image's stored signature, or {@code null} if it has none
 * @param scannedDigest the digest the findings were computed for, or {@code null} if never scanned
 * @param findings the vulnerability findings of that scan
 */
public record AdmissionFacts(
    String reference,
    String pinnedDigest,
    SignatureCheck signature,
    String scannedDigest,
    List<Finding> findings) {

  public AdmissionFacts {
    findings = List.copyOf(findings);
  }
}
