package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.domain.Challenge;
import io.slipway.runtime.domain.DomainProof;
import io.slipway.runtime.model.AppRef;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Custom domains and the proof of their ownership. A claim starts pending with its own random token
 * and is not routed; the router answers its challenge. {@link #verify} runs the {@link
 * DomainProof}; on success the claim is verified and the app is routed on the domain. Several apps
 * (of any tenants) may hold pending claims on one domain; the first to verify wins, and from then
 * on the others are refused as taken, without a word about who has it.
 */
@Service
class DomainClaims {

  /** Pending or verified, per app: enough for any site, few enough to bound the router's list. */
  static final int MAX_CLAIMS_PER_APP = 20;

  private final Deployments deployments;
  private final DeploymentStore store;
  private final AppConfigStore configs;
  private final AppLifecycle lifecycle;
  private final ChallengeRoutes challenges;
  private final DomainProof proof;

  DomainClaims(
      Deployments deployments,
      DeploymentStore store,
      AppConfigStore configs,
      AppLifecycle lifecycle,
      ChallengeRoutes challenges,
      DomainProof proof) {
    this.deployments = deployments;
    this.store = store;
    this.configs = configs;
    this.lifecycle = lifecycle;
    this.challenges = challenges;
    this.proof = proof;
  }

  List<AppConfigStore.DomainClaim> claims(AppRef ref) {
    return configs.claims(ref);
  }

  /**
   * Records a pending claim and has its challenge answered; the app's own existing claim is
   * answered as it is (same token). 409 {@code domain-taken} when another app verified the domain.
   */
  AppConfigStore.DomainClaim add(AppRef ref, String domain) {
    AppConfigStore.DomainClaim claim =
        deployments.locked(
            ref,
            () -> {
              store.ensureApp(ref);
              var existing = configs.claim(ref, domain);
              if (existing.isPresent()) {
                return existing.get();
              }
              if (configs.verifiedElsewhere(ref, domain)) {
                throw taken(domain);
              }
              if (configs.claimCount(ref) >= MAX_CLAIMS_PER_APP) {
                throw Problem.invalid(
                    "too-many-domains",
                    "An app may have at most "
                        + MAX_CLAIMS_PER_APP
                        + " custom domains; remove one first");
              }
              return configs.addClaim(ref, domain, Challenge.newToken());
            });
    challenges.publish();
    return claim;
  }

  /**
   * Checks the claim's proof. Verified: the app is routed on the domain (a second verify answers
   * the claim as it is). Not proven: 422 {@code domain-not-verified} saying why, kept on the claim.
   * 409 {@code domain-taken} when another app verified it first; 404 when the app has no claim.
   */
  AppConfigStore.DomainClaim verify(AppRef ref, String domain) {
    AppConfigStore.DomainClaim result =
        deployments.locked(
            ref,
            () -> {
              AppConfigStore.DomainClaim claim =
                  configs.claim(ref, domain).orElseThrow(() -> Problem.notFound("Domain", domain));
              if (claim.verified()) {
                return claim;
              }
              if (configs.verifiedElsewhere(ref, domain)) {
                throw taken(domain);
              }
              DomainProof.Result checked = proof.check(domain, claim.token());
              if (!checked.proven()) {
                configs.markFailed(ref, domain, checked.reason());
                throw Problem.invalid(
                    "domain-not-verified",
                    "'" + domain + "' is not verified yet: " + checked.reason());
              }
              if (!configs.markVerified(ref, domain)) {
                throw taken(domain);
              }
              lifecycle.reroute(ref);
              return configs.claim(ref, domain).orElseThrow();
            });
    challenges.publish();
    return result;
  }

  /** Gives up the claim, verified or not: no route, no challenge. 404 when the app has none. */
  void remove(AppRef ref, String domain) {
    deployments.locked(
        ref,
        () -> {
          if (!configs.release(ref, domain)) {
            throw Problem.notFound("Domain", domain);
          }
          lifecycle.reroute(ref);
          return null;
        });
    challenges.publish();
  }

  private static Problem taken(String domain) {
    return Problem.conflict(
        "domain-taken", "The domain '" + domain + "' is already used by another app");
  }
}
