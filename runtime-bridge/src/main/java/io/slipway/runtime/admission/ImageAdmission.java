package io.slipway.runtime.admission;

import io.slipway.governance.ImageGovernance;
import io.slipway.governance.advisory.Severity;
import io.slipway.governance.image.ImageReadException;
import io.slipway.governance.image.SourceImage;
import io.slipway.governance.policy.Decision;
import io.slipway.governance.policy.ImagePolicy;
import io.slipway.governance.policy.ImageReference;
import io.slipway.governance.sbom.Sbom;
import io.slipway.governance.signing.ImageSignature;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.podman.PodmanApi;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Admission of an image before anything of a revision starts (issue 9): the image's digest is
 * resolved now and pinned, build-service's signature and SBOM for exactly that digest are fetched,
 * and the effective policy of the app's tenant and project decides. Synchronous. A local image's
 * digest comes from podman's API when the bridge runs on podman, else from skopeo.
 */
@Service
public class ImageAdmission {

  private static final Logger log = LoggerFactory.getLogger(ImageAdmission.class);
  private static final Executor FETCHES = Executors.newVirtualThreadPerTaskExecutor();

  private final AdmissionProperties properties;
  private final ImagePolicies policies;
  private final GovernanceSource governance;
  private final BuildAttestations attestations;
  private final PodmanApi podman;

  ImageAdmission(
      AdmissionProperties properties,
      ImagePolicies policies,
      GovernanceSource governance,
      BuildAttestations attestations,
      ObjectProvider<PodmanApi> podman) {
    this.properties = properties;
    this.policies = policies;
    this.governance = governance;
    this.attestations = attestations;
    this.podman = podman.getIfAvailable();
  }

  /**
   * Admits a new deployment. A digest given with a tag must be the tag's current digest (else the
   * tag was moved to another image, and the image is refused).
   *
   * @return the spec pinned to the admitted digest (it runs as {@code repository@digest})
   * @throws ImageRefusedException with every reason when the policy refuses it
   */
  public AppSpec admitDeploy(AppSpec spec) {
    refuseOtherTenantsImages(spec);
    if (!properties.enabled()) {
      return spec;
    }
    String image = spec.image();

    int at = image.indexOf('@');
    String name = at < 0 ? image : image.substring(0, at);
    String given = at < 0 ? spec.digest() : image.substring(at + 1);
    boolean tagged = name.lastIndexOf(':') > name.lastIndexOf('/');
    // resolve what the tag names now; a reference without a tag is resolved by its digest
    String resolve = tagged || given == null ? name : name + "@" + given;
    String reference = given == null ? name : name + "@" + given;
    return admit(spec, reference, resolve);
  }

  /**
   * Admits a rollback: the revision's recorded digest is what runs again (never what its tag names
   * today), under the policy and advisories of now.
   */
  public AppSpec admitRollback(AppSpec spec) {
    refuseOtherTenantsImages(spec);
    if (!properties.enabled() || spec.digest() == null) {
      return admitDeploy(spec);
    }
    String pinned = spec.imageReference();
    return admit(spec, pinned, pinned);
  }

  /**
   * Checks a running revision's pinned image again under the policy and advisories of now (a new
   * advisory, a waiver that expired, a stricter policy), touching nothing.
   *
   * @return why the policy would refuse it now; empty when it is allowed, or when admission is off
   * @throws io.slipway.kit.problem.Problem 503 when build-service cannot be asked for keys or
   *     advisories
   */
  public List<String> recheck(AppSpec running) {
    if (!properties.enabled() || running.digest() == null) {
      return List.of();
    }
    try {
      admitRollback(running);
      return List.of();
    } catch (ImageRefusedException e) {
      return e.reasons();
    }
  }

  /**
   * Before any lookup, and whether or not the image policy is on: the refusal is the same whether
   * or not such an image exists, and a tenant never runs another tenant's build.
   */
  private void refuseOtherTenantsImages(AppSpec spec) {
    Optional<String> foreign =
        TenantImages.refusal(
            spec.ref().tenantId(), properties.buildImagePrefix(), spec.image(), spec.digest());
    if (foreign.isPresent()) {
      log.info("{} refused {}: {}", spec.ref(), spec.image(), foreign.get());
      throw new ImageRefusedException(spec.image(), null, List.of(foreign.get()), List.of());
    }
  }

  private AppSpec admit(AppSpec spec, String reference, String resolve) {
    String pinned = pinned(spec.ref(), spec.image(), spec.digest(), reference, resolve);
    return new AppSpec(
        spec.ref(),
        spec.revision(),
        spec.image(),
        pinned,
        spec.replicas(),
        spec.port(),
        spec.env(),
        spec.cpuMillicores(),
        spec.memoryMib(),
        spec.healthPath(),
        spec.runAsUser(),
        spec.readOnlyRootFilesystem(),
        spec.secrets(),
        spec.processes());
  }

  /**
   * Admits a VM's disk image (docs/vms.md): the tenant's own image, named by its full digest
   * ({@code repository@sha256:...}), under the same policy as a deploy of it to the VM's app. The
   * reference's own rules ({@link VmImages}) were applied first.
   *
   * @return the admitted digest
   * @throws ImageRefusedException with every reason when the policy refuses it
   */
  public String admitVm(AppRef ref, String image) {
    int at = image.indexOf('@');
    if (at < 0) {
      throw new IllegalArgumentException("a VM's image is admitted by its digest: " + image);
    }
    String digest = image.substring(at + 1);
    return properties.enabled() ? pinned(ref, image, digest, image, image) : digest;
  }

  /**
   * The digest {@code resolve} names now, once the effective policy of the app's tenant and project
   * allowed it; {@code expected}: the digest the caller gave, if any.
   */
  private String pinned(
      AppRef ref, String image, String expected, String reference, String resolve) {
    ImagePolicy policy = policies.effective(ref);
    boolean vulnerabilityRule = policy.maxSeverity() != Severity.CRITICAL;
    boolean attested = policy.requireSigned() || vulnerabilityRule;
    // keys and advisories are asked of build-service only when the policy needs them
    ImageGovernance gov = attested ? governance.current() : governance.cached();
    // A digest given with the request (a build's) is most likely what the tag names: its
    // attestation is fetched while the tag is resolved, and used only if the two agree.
    CompletableFuture<Optional<BuildAttestations.Attestation>> early =
        attested && expected != null
            ? CompletableFuture.supplyAsync(() -> attestations.find(expected, image), FETCHES)
            : null;
    Located located = located(ref, image, gov, resolve);
    SourceImage source = located.source();
    String pinned = located.digest();
    ImageSignature signature = null;
    Sbom sbom = null;
    if (attested) {
      Optional<BuildAttestations.Attestation> built =
          early != null && pinned.equals(expected)
              ? joined(early)
              : attestations.find(pinned, image);
      signature = built.map(BuildAttestations.Attestation::signature).orElse(null);
      sbom = built.map(BuildAttestations.Attestation::sbom).orElse(null);
      if (signature != null) {
        gov = governance.knowing(signature.keyId());
      }
    }
    if (sbom == null && vulnerabilityRule) {
      // not built here (an external image, say): the same vulnerability rule, on its own SBOM
      try {
        sbom = gov.describe(source);
      } catch (ImageReadException e) {
        log.warn("{}: {} could not be described: {}", ref, resolve, e.getMessage());
      }
    }
    Decision decision = gov.admit(policy, reference, pinned, signature, sbom);
    if (!decision.allowed()) {
      log.info("{} refused {}@{}: {}", ref, reference, pinned, decision.reasons());
      throw new ImageRefusedException(image, pinned, decision.reasons(), decision.waived());
    }
    return pinned;
  }

  /**
   * Checks that one of the platform's VM images named by digest is in local storage under that very
   * name: podman would boot whichever image has the digest, another tenant's too. Such an image is
   * the platform's own and goes through no tenant policy.
   */
  public void requireVmImage(AppRef ref, String image) {
    located(ref, image, governance.cached(), image);
  }

  private Located located(AppRef ref, String image, ImageGovernance gov, String resolve) {
    try {
      return locate(gov, resolve);
    } catch (ImageReadException | IllegalArgumentException e) {
      // The cause names registry addresses and storage paths: logged, never answered.
      log.info("{}: {} cannot be read: {}", ref, resolve, e.getMessage());
      throw new ImageRefusedException(
          image, null, List.of("the image " + image + " cannot be found or read"), List.of());
    }
  }

  /** Local containers-storage first (what podman runs); an image from elsewhere in its registry. */
  private Located locate(ImageGovernance gov, String reference) {
    SourceImage local = SourceImage.local(reference);
    try {
      return new Located(local, localDigest(gov, local));
    } catch (ImageReadException e) {
      if (ImageReference.parse(reference).registry().equals("localhost")) {
        throw e;
      }
      SourceImage remote = new SourceImage(SourceImage.Transport.REGISTRY, reference);
      return new Located(remote, gov.currentDigest(remote));
    }
  }

  /** What the early fetch found, or the exception it threw, as if it had run here. */
  private static <T> T joined(CompletableFuture<T> fetch) {
    try {
      return fetch.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private String localDigest(ImageGovernance gov, SourceImage local) {
    if (podman == null) {
      return gov.currentDigest(local);
    }
    JsonNode image =
        podman
            .image(local.reference())
            .orElseThrow(
                () -> new ImageReadException(local.reference() + " is not in local storage"));
    if (!namedAs(image, local.reference())) {
      throw new ImageReadException(
          local.reference() + " names the digest of an image that never had this repository");
    }
    return image.path("Digest").asString();
  }

  /**
   * Whether the image podman found for {@code reference} ever had the reference's repository as a
   * name. Podman resolves {@code any/name@sha256:...} to whichever image has that digest, so
   * without this a tenant could name another tenant's image by its digest under a repository of its
   * own. Its names of old count ({@code NamesHistory}): a build whose tag moved on to a newer build
   * is still its repository's (a rollback names it so).
   */
  static boolean namedAs(JsonNode image, String reference) {
    int at = reference.indexOf('@');
    if (at < 0) {
      return true; // a name with a tag is looked up by that name
    }
    String repository = repository(reference.substring(0, at));
    for (String field : List.of("RepoTags", "RepoDigests", "NamesHistory")) {
      for (JsonNode name : image.path(field)) {
        String named = repository(name.asString().split("@", 2)[0]);
        if (named.equals(repository)) {
          return true;
        }
      }
    }
    return false;
  }

  /** A name without its tag. */
  private static String repository(String name) {
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
  }

  private record Located(SourceImage source, String digest) {}
}
