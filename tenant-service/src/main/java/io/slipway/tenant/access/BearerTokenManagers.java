package io.slipway.tenant.access;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * Chooses how to authenticate a bearer token by its shape: personal access tokens (prefix {@code
 * slp_}) against the token store, everything else as a JWT, exactly as before tokens existed. A
 * token is never tried both ways, so a bad personal access token fails with its own reason.
 */
final class BearerTokenManagers implements AuthenticationManagerResolver<HttpServletRequest> {

  // The same resolver the bearer-token filter uses by default: the Authorization header only.
  private final BearerTokenResolver bearer = new DefaultBearerTokenResolver();
  private final AuthenticationManager jwt;
  private final AuthenticationManager personalAccessTokens;

  BearerTokenManagers(AuthenticationManager jwt, AuthenticationManager personalAccessTokens) {
    this.jwt = jwt;
    this.personalAccessTokens = personalAccessTokens;
  }

  @Override
  public AuthenticationManager resolve(HttpServletRequest request) {
    String token = bearer.resolve(request);
    return token != null && token.startsWith(PersonalAccessTokens.PREFIX)
        ? personalAccessTokens
        : jwt;
  }
}
