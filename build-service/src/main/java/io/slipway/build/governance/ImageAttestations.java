package io.slipway.build.governance;

import io.slipway.governance.ImageGovernance;
import io.slipway.governance.advisory.Finding;
import io.slipway.governance.image.SourceImage;
import io.slipway.governance.policy.ImageReference;
import io.slipway.governance.sbom.CycloneDx;
import io.slipway.governance.sbom.Sbom;
import io.slipway.governance.signing.ImageSignature;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * What every built image gets before it is deployed: an SBOM, a vulnerability scan and the
 * platform's signature, stored with the build. Also rescans stored SBOMs when the advisory database
 * changes.
 */
@Service
public class ImageAttestations {

  private static final Logger log = LoggerFactory.getLogger(ImageAttestations.class);

  private final ImageGovernance governance;
  private final AttestationStore store;

  ImageAttestations(ImageGovernance governance, AttestationStore store) {
    this.governance = governance;
    this.store = store;
  }

  /** Why governance could not describe, scan or sign a built image (the build then fails). */
  public static final class AttestationFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AttestationFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Describes, scans and signs a built image in containers-storage, and stores the results for the
   * build. Synchronous (skopeo copies the image once).
   *
   * @param image the local image reference, e.g. {@code localhost/acme/web/site:1a2b}
   * @param logLine receives lines for the build log
   * @return the image's manifest digest, the one signed and to deploy
   * @throws AttestationFailedException when the image cannot be read or signed
   */
  public String attest(UUID buildId, String image, Consumer<String> logLine) {
    try {
      Sbom sbom = governance.describe(SourceImage.local(image));
      String digest = sbom.manifestDigest();
      String revision = governance.advisoryRevision();
      List<Finding> findings = governance.scan(sbom);
      ImageSignature signature = governance.sign(ImageReference.parse(image).repository(), digest);
      store.save(
          new AttestationStore.Attestation(
              buildId,
              digest,
              image,
              CycloneDx.write(sbom),
              findings.stream().map(FindingView::of).toList(),
              revision,
              signature));
      logLine.accept(
          "SBOM: "
              + sbom.components().size()
              + " packages; "
              + findings.size()
              + " known vulnerabilities; signed with key "
              + signature.keyId().substring(0, 12));
      return digest;
    } catch (RuntimeException e) {
      throw new AttestationFailedException(
          "the image could not be described, scanned or signed: " + e.getMessage(), e);
    }
  }

  /**
   * Signs an image pushed to a registry, for its sigstore attachment there: the payload names the
   * registry repository and the digest the registry serves (a push may recompress layers, so it can
   * differ from the local image's), which is what containers/image's {@code matchRepository} and
   * cosign check.
   *
   * @param repository the registry repository, e.g. {@code registry:5000/acme/web/site}
   * @param digest the pushed manifest's digest
   */
  public ImageSignature registrySignature(String repository, String digest) {
    return governance.sign(repository, digest);
  }

  /** The CycloneDX JSON SBOM stored for the build's image, if it was attested. */
  public Optional<byte[]> sbom(UUID buildId) {
    return store.byBuild(buildId).map(AttestationStore.Attestation::sbom);
  }

  /**
   * Rescans every stored SBOM whose scan was made under another advisory revision.
   *
   * @return how many images were rescanned
   */
  synchronized int rescanStale() {
    String revision = governance.advisoryRevision();
    int count = 0;
    for (UUID buildId : store.staleScans(revision)) {
      var stored = store.byBuild(buildId);
      if (stored.isEmpty()) {
        continue;
      }
      List<FindingView> findings =
          governance.scan(CycloneDx.read(stored.get().sbom())).stream()
              .map(FindingView::of)
              .toList();
      store.updateScan(buildId, findings, revision);
      count++;
    }
    return count;
  }

  /** Files imported while this instance was down, or another replica's imports, apply now. */
  @EventListener(ApplicationReadyEvent.class)
  void rescanAtStart() {
    Thread.ofVirtual()
        .name("governance-rescan")
        .start(
            () -> {
              try {
                int n = rescanStale();
                if (n > 0) {
                  log.info("Rescanned {} images for advisory revision {}", n, revision());
                }
              } catch (RuntimeException e) {
                log.warn("Rescanning stored SBOMs failed: {}", e.toString());
              }
            });
  }

  private String revision() {
    return governance.advisoryRevision();
  }
}
