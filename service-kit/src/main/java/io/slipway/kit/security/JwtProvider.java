package io.slipway.kit.security;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * Authenticates a JWT as {@code oauth2ResourceServer().jwt()} would, but survives a moment when the
 * identity provider does not answer. The decoder fetches the issuer's metadata on first use and its
 * signing keys on first use and again whenever its cache of them expires; when such a fetch fails,
 * Spring Security would answer a bare 500 (the decoder's lazy set-up throws a plain runtime
 * exception, a failed key fetch becomes an {@link AuthenticationServiceException}, which the
 * bearer-token filter rethrows). Here the check is tried once more after a short pause, and when it
 * fails again the caller gets 503 to retry, and the cause goes to the log. A bad token is refused
 * with 401 as before, never retried.
 */
final class JwtProvider implements AuthenticationProvider {

  private static final Logger log = LoggerFactory.getLogger(JwtProvider.class);

  private final JwtAuthenticationProvider jwt;
  private final Duration pause;

  JwtProvider(JwtDecoder decoder, JwtAuthenticationConverter converter, Duration pause) {
    this.jwt = new JwtAuthenticationProvider(decoder);
    if (converter != null) {
      jwt.setJwtAuthenticationConverter(converter);
    }
    this.pause = pause;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    try {
      return jwt.authenticate(authentication);
    } catch (AuthenticationServiceException | JwtDecoderInitializationException first) {
      log.info("Checking a JWT failed ({}); trying once more", first.getMessage());
    }
    try {
      Thread.sleep(pause);
      return jwt.authenticate(authentication);
    } catch (AuthenticationServiceException | JwtDecoderInitializationException e) {
      log.warn("A JWT could not be checked: {}", e.toString());
      throw new TokensUncheckable(TokensUncheckable.IDENTITY_PROVIDER, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokensUncheckable(TokensUncheckable.IDENTITY_PROVIDER, e);
    }
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return jwt.supports(authentication);
  }
}
