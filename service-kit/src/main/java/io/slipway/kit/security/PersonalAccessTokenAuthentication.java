package io.slipway.kit.security;

import io.slipway.kit.audit.AuditActor;
import io.slipway.kit.audit.TokenPrincipal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * A request authenticated by a personal access token, in the shape of a Keycloak JWT's
 * authentication so that every controller reading {@code @AuthenticationPrincipal Jwt} serves it
 * unchanged. The principal carries only what a token grants: the owner as {@code sub} and {@code
 * preferred_username}, the scopes as {@code scope}, and the token itself as the token value (which
 * services forward to tenant-service, where it is checked again). It has no realm roles and no
 * {@code azp}: a personal access token is never a platform admin or a service.
 */
public final class PersonalAccessTokenAuthentication extends JwtAuthenticationToken
    implements TokenPrincipal {

  private static final long serialVersionUID = 1L;

  /** The claim that tells a personal access token's principal from a real JWT. */
  public static final String KIND_CLAIM = AuditActor.TOKEN_KIND_CLAIM;

  private final Set<String> scopes;
  private final String tokenId;

  PersonalAccessTokenAuthentication(
      String token, String username, Set<String> scopes, Instant expiresAt) {
    this(token, username, null, scopes, expiresAt);
  }

  PersonalAccessTokenAuthentication(
      String token, String username, String tokenId, Set<String> scopes, Instant expiresAt) {
    super(
        principal(token, username, tokenId, scopes, expiresAt),
        scopes.stream().map(scope -> new SimpleGrantedAuthority("SCOPE_" + scope)).toList(),
        username);
    this.scopes = Set.copyOf(scopes);
    this.tokenId = tokenId;
  }

  private static Jwt principal(
      String token, String username, String tokenId, Set<String> scopes, Instant expiresAt) {
    Jwt.Builder jwt =
        Jwt.withTokenValue(token)
            .header("typ", "personal-access-token")
            .claim("scope", String.join(" ", new TreeSet<>(scopes)))
            .claim(KIND_CLAIM, AuditActor.PERSONAL_ACCESS_TOKEN);
    // tenant-service does not say whose a token without the scope asked for is: it is refused
    if (username != null) {
      jwt.subject(username).claim("preferred_username", username);
    }
    if (tokenId != null) {
      jwt.claim(AuditActor.TOKEN_ID_CLAIM, tokenId);
    }
    if (expiresAt != null) {
      jwt.expiresAt(expiresAt);
    }
    return jwt.build();
  }

  @Override
  public String owner() {
    return getName();
  }

  @Override
  public String tokenId() {
    return tokenId;
  }

  /** Whether the token has {@code scope}. */
  public boolean has(String scope) {
    return scopes.contains(scope);
  }

  /** The scopes' names, sorted, for messages. */
  public List<String> scopeNames() {
    return scopes.stream().sorted().toList();
  }
}
