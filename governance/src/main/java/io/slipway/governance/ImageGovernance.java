package io.slipway.governance;

import io.slipway.governance.advisory.AdvisoryDatabase;
import io.slipway.governance.advisory.Finding;
import io.slipway.governance.image.ImageReader;
import io.slipway.governance.image.SourceImage;
import io.slipway.governance.policy.Admission;
import io.slipway.governance.policy.AdmissionFacts;
import io.slipway.governance.policy.Decision;
import io.slipway.governance.policy.ImagePolicy;
import io.slipway.governance.sbom.Sbom;
import io.slipway.governance.sbom.SbomGenerator;
import io.slipway.governance.signing.ImageSignature;
import io.slipway.governance.signing.Keyring;
import io.slipway.governance.signing.SignatureCheck;
import io.slipway.governance.signing.TrustedKeys;
import java.time.Clock;
import java.util.List;

/**
 * Registry governance in one place: what is in an image, which advisories apply, the platform's
 * signature on it, and whether a policy lets it run.
 *
 * <p>The contract the services rely on:
 *
 * <ul>
 *   <li>Every method is synchronous and thread-safe. {@link #describe} and {@link #currentDigest}
 *       run skopeo and take about as long as copying the image; the others are in-memory.
 *   <li>{@link #describe} is deterministic for a digest: the same image gives the same components.
 *       The SBOM carries the manifest digest it describes; store it with the image.
 *   <li>{@link #scan} depends on the advisory database; its result is valid for {@link
 *       #advisoryRevision()} at the time of the call. Rescan stored SBOMs when the revision
 *       changes.
 *   <li>{@link #sign} signs exactly the digest given; call it with the digest {@link #describe}
 *       returned (or buildah's), never a tag.
 *   <li>{@link #admit} never throws for a bad image: a refusal is a {@link Decision} whose reasons
 *       say why. It must be called on every deploy and every rollback with the digest the runtime
 *       will start, resolved at that moment.
 * </ul>
 */
public final class ImageGovernance {

  private final ImageReader images;
  private final SbomGenerator sboms = new SbomGenerator();
  private final AdvisoryDatabase advisories;
  private final Keyring keyring;
  private final TrustedKeys trusted;
  private final Clock clock;

  /**
   * @param images reads images with skopeo
   * @param advisories the imported OSV advisories
   * @param keyring the platform's signing keys
   * @param clock the time for SBOM timestamps and waiver expiry
   */
  public ImageGovernance(
      ImageReader images, AdvisoryDatabase advisories, Keyring keyring, Clock clock) {
    this.images = images;
    this.advisories = advisories;
    this.keyring = keyring;
    this.trusted = keyring.trustedKeys();
    this.clock = clock;
  }

  /**
   * An instance that verifies and admits but cannot sign (for runtime-bridge, which must not hold
   * the private key): {@link #sign} throws {@link IllegalStateException}.
   *
   * @param trusted the platform's public keys (a read-only copy of the keyring's {@code trusted/})
   */
  public ImageGovernance(
      ImageReader images, AdvisoryDatabase advisories, TrustedKeys trusted, Clock clock) {
    this.images = images;
    this.advisories = advisories;
    this.keyring = null;
    this.trusted = trusted;
    this.clock = clock;
  }

  /**
   * The SBOM of an image: the packages found in its merged layers, and its manifest digest.
   *
   * @throws io.slipway.governance.image.ImageReadException if the image cannot be read
   */
  public Sbom describe(SourceImage image) {
    return sboms.generate(
        image.reference(),
        images.read(image, sboms.wantedFiles(), sboms.executableProbe()),
        clock.instant());
  }

  /** The digest the reference points at now (for pinning before {@link #admit}). */
  public String currentDigest(SourceImage image) {
    return images.currentDigest(image);
  }

  /** The advisories that apply to the SBOM's packages, worst first. */
  public List<Finding> scan(Sbom sbom) {
    return advisories.scan(sbom);
  }

  /** The advisory database's revision; a stored scan made under another revision is stale. */
  public String advisoryRevision() {
    return advisories.revision();
  }

  /**
   * Signs {@code manifestDigest} as {@code dockerReference} with the active platform key.
   *
   * @throws IllegalStateException if this instance was made with trusted keys only
   */
  public ImageSignature sign(String dockerReference, String manifestDigest) {
    if (keyring == null) {
      throw new IllegalStateException(
          "this ImageGovernance holds no private key; only build-service signs");
    }
    return keyring.sign(dockerReference, manifestDigest);
  }

  /** Checks a stored signature against every trusted platform key. */
  public SignatureCheck verify(ImageSignature signature) {
    return trusted.verify(signature);
  }

  /**
   * Whether the image may run.
   *
   * @param policy the effective policy ({@link ImagePolicy#tighten} of the admin floor and the
   *     tenant's)
   * @param reference the reference the deployment names
   * @param pinnedDigest the digest the runtime will start, resolved now ({@link #currentDigest})
   * @param signature the signature stored for the image, or {@code null} if none
   * @param sbom the SBOM stored for the image, or {@code null} if none (it is rescanned here, so
   *     the findings reflect the current advisory database)
   */
  public Decision admit(
      ImagePolicy policy,
      String reference,
      String pinnedDigest,
      ImageSignature signature,
      Sbom sbom) {
    SignatureCheck check = signature == null ? null : trusted.verify(signature);
    AdmissionFacts facts =
        new AdmissionFacts(
            reference,
            pinnedDigest,
            check,
            sbom == null ? null : sbom.manifestDigest(),
            sbom == null ? List.of() : advisories.scan(sbom));
    return Admission.evaluate(policy, facts, clock.instant());
  }
}
