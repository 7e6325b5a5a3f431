package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.domain.Challenge;
import io.slipway.runtime.domain.DomainProof;
import io.slipway.runtime.model.AppRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Service;

/**
 * Custom domains and the proof of their ownership. A claim starts pending with its own random token
 * and is not routed; the router answers its challenge. {@link #verify} runs the {@link
 * DomainProof}; on success the claim is verified and the app is routed on the domain. Several apps
 * (of any tenants) may hold pending claims on one domain; the first to verify wins, and from then
 * on the others are refused as taken, without a word about who has it. Each change is audited with
 * the claim's row, before the router hears of it ({@link ChangeAudit}).
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
  private final ChangeAudit audit;

  DomainClaims(
      Deployments deployments,
      DeploymentStore store,
      AppConfigStore configs,
      AppLifecycle lifecycle,
      ChallengeRoutes challenges,
      DomainProof proof,
      ChangeAudit audit) {
    this.audit = audit;
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
  AppConfigStore.DomainClaim add(AppRef ref, String domain, Jwt caller) {
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
              return audit.recorded(
                  ref,
                  intent(caller, "domain.added", domain, Map.of()),
                  () -> configs.addClaim(ref, domain, Challenge.newToken()));
            });
    challenges.publish();
    return claim;
  }

  /**
   * Checks the claim's proof. Verified: the app is routed on the domain (a second verify answers
   * the claim as it is). Not proven: 422 {@code domain-not-verified} saying why, kept on the claim.
   * 409 {@code domain-taken} when another app verified it first; 404 when the app has no claim.
   */
  AppConfigStore.DomainClaim verify(AppRef ref, String domain, Jwt caller) {
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
                throw refused(ref, domain, caller, taken(domain));
              }
              DomainProof.Result checked = proof.check(domain, claim.token());
              if (!checked.proven()) {
                Problem notYet =
                    Problem.invalid(
                        "domain-not-verified",
                        "'" + domain + "' is not verified yet: " + checked.reason());
                audit.recorded(
                    ref,
                    failedIntent(caller, domain, notYet),
                    () -> configs.markFailed(ref, domain, checked.reason()));
                throw notYet;
              }
              try {
                audit.recorded(
                    ref,
                    intent(caller, "domain.verified", domain, Map.of()),
                    () -> {
                      if (!configs.markVerified(ref, domain)) {
                        // another app verified it first: the record rolls back with nothing done
                        throw taken(domain);
                      }
                    });
              } catch (Problem lost) {
                throw refused(ref, domain, caller, lost);
              }
              lifecycle.reroute(ref);
              return configs.claim(ref, domain).orElseThrow();
            });
    challenges.publish();
    return result;
  }

  /** Gives up the claim, verified or not: no route, no challenge. 404 when the app has none. */
  void remove(AppRef ref, String domain, Jwt caller) {
    deployments.locked(
        ref,
        () -> {
          audit.recorded(
              ref,
              intent(caller, "domain.removed", domain, Map.of()),
              () -> {
                if (!configs.release(ref, domain)) {
                  throw Problem.notFound("Domain", domain); // and nothing is recorded
                }
              });
          lifecycle.reroute(ref);
          return null;
        });
    challenges.publish();
  }

  private static ChangeAudit.Intent intent(
      Jwt caller, String action, String domain, Map<String, Object> more) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("domain", domain);
    details.putAll(more);
    return new ChangeAudit.Intent(caller, action, details);
  }

  private static ChangeAudit.Intent failedIntent(Jwt caller, String domain, Problem why) {
    return intent(
        caller,
        "domain.verification-failed",
        domain,
        Map.of("reason", String.valueOf(why.getMessage())));
  }

  /** A verification refused without a change of its own: its record, then the refusal. */
  private Problem refused(AppRef ref, String domain, Jwt caller, Problem why) {
    audit.recorded(ref, failedIntent(caller, domain, why), () -> {});
    return why;
  }

  private static Problem taken(String domain) {
    return Problem.conflict(
        "domain-taken", "The domain '" + domain + "' is already used by another app");
  }
}
