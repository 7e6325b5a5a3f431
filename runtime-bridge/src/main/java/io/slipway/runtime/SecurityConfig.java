package io.slipway.runtime;

import io.slipway.kit.security.ApiSecurity;
import io.slipway.kit.security.PersonalAccessTokenVerifier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A stateless OAuth2 resource server: every call but health and the OpenAPI document carries a
 * bearer token, a Keycloak JWT whose issuer, signature, expiry and audience ({@code slipway}) are
 * checked or a personal access token with the scope {@code api}, as in every Slipway service.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

  @Bean
  SecurityFilterChain api(
      HttpSecurity http,
      JwtDecoder jwtDecoder,
      ObjectProvider<JwtAuthenticationConverter> jwtConverter,
      PersonalAccessTokenVerifier personalAccessTokens)
      throws Exception {
    return ApiSecurity.tokenApi(http, jwtDecoder, jwtConverter, personalAccessTokens);
  }
}
