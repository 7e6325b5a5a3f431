package io.slipway.tenant.token;

import io.slipway.kit.problem.Problem;
import io.slipway.kit.tenant.Role;
import io.slipway.tenant.access.Actor;
import io.slipway.tenant.access.TenantDirectory;
import io.slipway.tenant.access.TokenScope;
import io.slipway.tenant.audit.AuditLog;
import io.slipway.tenant.token.TokenRequests.CreateToken;
import io.slipway.tenant.token.TokenRequests.VerifyToken;
import io.slipway.tenant.token.TokenStore.StoredToken;
import io.slipway.tenant.token.TokenViews.CreatedToken;
import io.slipway.tenant.token.TokenViews.TokenView;
import io.slipway.tenant.token.TokenViews.VerifiedToken;
import io.slipway.tenant.web.PageRequests;
import io.slipway.tenant.web.PageResponse;
import java.util.Optional;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A user's personal access tokens: made, listed and revoked by their owner, and verified for other
 * services. Creating and revoking are audited (platform-wide: a token belongs to no tenant), never
 * with the secret.
 */
@Service
@Transactional
class TokenService {

  private final TokenStore store;
  private final AuditLog audit;
  private final TenantDirectory directory;

  TokenService(TokenStore store, AuditLog audit, TenantDirectory directory) {
    this.store = store;
    this.audit = audit;
    this.directory = directory;
  }

  CreatedToken create(Actor actor, CreateToken request) {
    String secret = TokenSecret.generate();
    TokenView token =
        store.insert(actor.name(), request.name(), request.scopeSet(), secret, request.days());
    audit.record(actor, null, "token.created", target(token.id()), null, token);
    return CreatedToken.of(token, secret);
  }

  @Transactional(readOnly = true)
  PageResponse<TokenView> list(Actor actor, int page, int size) {
    PageRequests.of(page, size, Sort.unsorted());
    return new PageResponse<>(
        store.page(actor.name(), size, (long) page * size), page, size, store.count(actor.name()));
  }

  /** Revokes one of the actor's tokens; revoking it again changes nothing. */
  void revoke(Actor actor, long id) {
    TokenView before =
        store
            .find(id, actor.name())
            .orElseThrow(() -> Problem.notFound("token", String.valueOf(id)));
    Optional<TokenView> after = store.revoke(id, actor.name());
    after.ifPresent(
        revoked -> audit.record(actor, null, "token.revoked", target(id), before, revoked));
  }

  /**
   * Whether the token is valid for the scope; refused with a 422 {@code invalid-token} problem
   * naming the reason, so the calling service can tell a bad token from its own refusal (403).
   */
  VerifiedToken verify(VerifyToken request) {
    TokenScope scope = TokenScope.of(request.scope());
    StoredToken token =
        store
            .findBySecret(request.token())
            .orElseThrow(
                () -> invalid("unknown", "The token is not a known personal access token"));
    switch (token.status()) {
      case REVOKED -> throw invalid("revoked", "The token was revoked by its owner");
      case EXPIRED -> throw invalid("expired", "The token expired at " + token.expiresAt());
      case ACTIVE -> {}
    }
    if (!token.scopes().contains(scope)) {
      throw invalid(
              "missing-scope",
              "The token has the scopes " + names(token) + "; it needs the scope " + scope.value())
          .with("scopes", token.scopes());
    }
    store.recordUse(token);
    Role role =
        request.tenant() == null
            ? null
            : directory
                .tenantId(request.tenant())
                .flatMap(id -> directory.roleOf(id, token.username()))
                .orElse(null);
    return new VerifiedToken(token.id(), token.username(), token.scopes(), token.expiresAt(), role);
  }

  private static Problem invalid(String reason, String detail) {
    return new Problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-token", "Invalid token", detail)
        .with("reason", reason);
  }

  private static String names(StoredToken token) {
    return String.join(", ", token.scopes().stream().map(TokenScope::value).toList());
  }

  private static String target(long id) {
    return "tokens/" + id;
  }
}
