package io.slipway.tenant.token;

import io.slipway.kit.tenant.Role;
import io.slipway.tenant.access.TokenScope;
import java.time.Instant;
import java.util.Set;

/** What the API shows of tokens. Only {@link CreatedToken} ever holds a secret. */
final class TokenViews {

  private TokenViews() {}

  /** A token in its owner's list (and in the audit log): never the secret, never its hash. */
  record TokenView(
      long id,
      String name,
      Set<TokenScope> scopes,
      String prefix,
      Instant createdAt,
      Instant expiresAt,
      Instant lastUsedAt,
      Instant revokedAt,
      TokenStatus status) {}

  /** The answer to creating a token: the one time its secret is shown. */
  record CreatedToken(
      long id,
      String name,
      Set<TokenScope> scopes,
      String prefix,
      Instant createdAt,
      Instant expiresAt,
      String token) {

    static CreatedToken of(TokenView view, String secret) {
      return new CreatedToken(
          view.id(),
          view.name(),
          view.scopes(),
          view.prefix(),
          view.createdAt(),
          view.expiresAt(),
          secret);
    }
  }

  /**
   * A token a service asked about is valid for the scope it asked for; {@code role} is its owner's
   * role in the tenant asked about, null when none was asked or the owner is not a member; {@code
   * id} names the token in the services' audit events.
   */
  record VerifiedToken(
      long id, String username, Set<TokenScope> scopes, Instant expiresAt, Role role) {}
}
