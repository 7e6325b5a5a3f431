package io.slipway.tenant.access;

import io.slipway.kit.audit.TokenPrincipal;
import java.util.EnumSet;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request authenticated by a personal access token. It keeps the owner and the scopes, never the
 * secret; the owner's name is the principal.
 */
final class PersonalAccessTokenAuthentication extends AbstractAuthenticationToken
    implements TokenPrincipal {

  private static final long serialVersionUID = 1L;

  private final String username;
  private final EnumSet<TokenScope> scopes;
  private final String tokenId;

  PersonalAccessTokenAuthentication(TokenHolder holder) {
    super(
        holder.scopes().stream()
            .map(scope -> new SimpleGrantedAuthority("SCOPE_" + scope.value()))
            .toList());
    this.username = holder.username();
    this.tokenId = holder.tokenId();
    this.scopes = EnumSet.noneOf(TokenScope.class);
    this.scopes.addAll(holder.scopes());
    setAuthenticated(true);
  }

  @Override
  public Object getCredentials() {
    return null;
  }

  @Override
  public Object getPrincipal() {
    return username;
  }

  @Override
  public String owner() {
    return username;
  }

  @Override
  public String tokenId() {
    return tokenId;
  }

  boolean has(TokenScope scope) {
    return scopes.contains(scope);
  }

  /** The scopes' names, for messages. */
  List<String> scopeNames() {
    return scopes.stream().map(TokenScope::value).toList();
  }
}
