package io.slipway.kit.security;

import io.slipway.kit.client.TenantService;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Asks tenant-service whether a personal access token is good for a scope ({@code POST
 * /api/v1/internal/tokens/verify}, with the calling service's own token). Nothing is cached: a
 * revoked or expired token fails on the very next request. Thread-safe.
 */
public class PersonalAccessTokenVerifier {

  /** The prefix every personal access token starts with, and no JWT does. */
  public static final String PREFIX = "slp_";

  private final TenantService tenantService;

  /**
   * What tenant-service said of a token.
   *
   * @param username the owner, present unless the token is unknown, revoked or expired
   * @param tokenId the token's id, for the audit trail (null when tenant-service did not say)
   * @param scopes the token's scopes (also when it lacks the one asked for)
   * @param role the owner's role in the tenant asked about; empty when not a member or not asked
   * @param granted whether the token is active and has the scope asked for
   * @param reason tenant-service's reason when not granted ({@code unknown}, {@code revoked},
   *     {@code expired}, {@code missing-scope})
   */
  public record Verification(
      String username,
      String tokenId,
      Set<String> scopes,
      Instant expiresAt,
      Optional<String> role,
      boolean granted,
      String reason) {

    /** Whether the token itself is good, only lacking the scope asked for. */
    public boolean onlyMissingScope() {
      return !granted && "missing-scope".equals(reason);
    }
  }

  /**
   * @param tenantService tenant-service, called with the calling service's own token
   */
  public PersonalAccessTokenVerifier(TenantService tenantService) {
    this.tenantService = tenantService;
  }

  /**
   * Verifies {@code token} for {@code scope}, and when {@code tenant} is not null also answers the
   * owner's role there.
   *
   * @throws IllegalStateException when tenant-service does not answer as it should
   */
  public Verification verify(String token, String scope, String tenant) {
    TenantService.TokenAnswer answer;
    try {
      answer = tenantService.verify(new TenantService.TokenQuestion(token, scope, tenant));
    } catch (RestClientResponseException e) {
      if (e.getStatusCode().value() != 422) {
        throw new IllegalStateException(
            "tenant-service answered "
                + e.getStatusCode().value()
                + " to verifying a personal access token",
            e);
      }
      TenantService.TokenAnswer refused = e.getResponseBodyAs(TenantService.TokenAnswer.class);
      return new Verification(
          null,
          null,
          scopes(refused),
          null,
          Optional.empty(),
          false,
          refused == null || refused.reason() == null ? "unknown" : refused.reason());
    } catch (RestClientException e) {
      // unreachable, or an answer that is not the token answer (read as nothing usable)
      throw new IllegalStateException("tenant-service could not verify a token: " + e, e);
    }
    if (answer == null || answer.username() == null) {
      throw new IllegalStateException("tenant-service answered no owner for a granted token");
    }
    return new Verification(
        answer.username(),
        answer.id(),
        scopes(answer),
        answer.expiresAt(),
        Optional.ofNullable(answer.role()),
        true,
        null);
  }

  private static Set<String> scopes(TenantService.TokenAnswer answer) {
    return answer == null || answer.scopes() == null
        ? Set.of()
        : Set.copyOf(new LinkedHashSet<>(answer.scopes()));
  }
}
