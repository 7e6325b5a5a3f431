package io.slipway.kit.audit;

import io.slipway.kit.security.RealmRoles;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who made a change, named the same way by every service: a user by their id (the token's {@code
 * sub}) with their user name for display, a personal access token as its owner plus the token's id,
 * a Slipway service by its OAuth2 client id.
 *
 * @param name what the trail shows and filters by: the user name (also for a token), or the
 *     service's client id
 * @param id the user's id ({@code sub}) for a user, null for a token (tenant-service knows the
 *     owner by name only) and a service
 * @param tokenId the personal access token's id, only for {@link Kind#TOKEN}
 */
public record AuditActor(Kind kind, String name, String id, String tokenId) {

  /** How the actor authenticated. */
  public enum Kind {
    USER,
    TOKEN,
    SERVICE;

    /** The lower-case form stored and shown ({@code user}, {@code token}, {@code service}). */
    public String value() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public AuditActor {
    if (kind == null || name == null || name.isBlank()) {
      throw new IllegalArgumentException("an actor needs a kind and a name");
    }
  }

  /** The actor of an authenticated request. */
  public static AuditActor of(Authentication authentication) {
    if (authentication instanceof TokenPrincipal token) {
      return token(token.owner(), token.tokenId());
    }
    if (authentication != null && authentication.getPrincipal() instanceof Jwt jwt) {
      return of(jwt);
    }
    throw new IllegalArgumentException(
        "not an authentication Slipway issues: "
            + (authentication == null ? "none" : authentication.getClass().getSimpleName()));
  }

  /**
   * The actor of a JWT: a service (realm role {@code slipway-service}, or Keycloak's {@code
   * service-account-} user) by its client ({@code azp}); anyone else as a user. A personal access
   * token's principal in JWT shape (see {@link TokenPrincipal}) also arrives here in services that
   * only see the {@link Jwt}: it carries the token kind and id as claims.
   */
  public static AuditActor of(Jwt jwt) {
    String username = jwt.getClaimAsString("preferred_username");
    if (PERSONAL_ACCESS_TOKEN.equals(jwt.getClaimAsString(TOKEN_KIND_CLAIM))) {
      return token(username, jwt.getClaimAsString(TOKEN_ID_CLAIM));
    }
    String client = jwt.getClaimAsString("azp");
    boolean service =
        RealmRoles.of(jwt.getClaims()).contains(RealmRoles.SERVICE)
            || (username != null && username.startsWith("service-account-"));
    if (service && client != null && !client.isBlank()) {
      return new AuditActor(Kind.SERVICE, client, null, null);
    }
    String subject = jwt.getSubject();
    return new AuditActor(
        Kind.USER, username == null || username.isBlank() ? subject : username, subject, null);
  }

  /** A personal access token of {@code owner}. */
  public static AuditActor token(String owner, String tokenId) {
    return new AuditActor(Kind.TOKEN, owner, null, tokenId);
  }

  /** The claim that marks a personal access token's principal in JWT shape. */
  public static final String TOKEN_KIND_CLAIM = "slipway_token_kind";

  /** The claim with a personal access token's id in its JWT-shaped principal. */
  public static final String TOKEN_ID_CLAIM = "slipway_token_id";

  /** {@link #TOKEN_KIND_CLAIM}'s value. */
  public static final String PERSONAL_ACCESS_TOKEN = "personal-access-token";
}
