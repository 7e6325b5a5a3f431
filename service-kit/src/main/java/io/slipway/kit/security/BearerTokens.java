package io.slipway.kit.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * Chooses how to authenticate a bearer token by its shape: personal access tokens (prefix {@code
 * slp_}) one way, everything else as a JWT. A token is never tried both ways, so a bad personal
 * access token fails with its own reason.
 */
public final class BearerTokens implements AuthenticationManagerResolver<HttpServletRequest> {

  // The same resolver the bearer-token filter uses by default: the Authorization header only.
  private final BearerTokenResolver bearer = new DefaultBearerTokenResolver();
  private final AuthenticationManager jwt;
  private final AuthenticationManager personalAccessTokens;

  public BearerTokens(AuthenticationManager jwt, AuthenticationManager personalAccessTokens) {
    this.jwt = jwt;
    this.personalAccessTokens = personalAccessTokens;
  }

  /** Whether {@code token} is a personal access token rather than a JWT. */
  public static boolean personalAccessToken(String token) {
    return token != null && token.startsWith(PersonalAccessTokenVerifier.PREFIX);
  }

  @Override
  public AuthenticationManager resolve(HttpServletRequest request) {
    return personalAccessToken(bearer.resolve(request)) ? personalAccessTokens : jwt;
  }
}
