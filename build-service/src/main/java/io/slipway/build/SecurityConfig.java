package io.slipway.build;

import io.slipway.kit.security.ApiSecurity;
import io.slipway.kit.security.PersonalAccessTokenVerifier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A stateless OAuth2 resource server: every call but health, the OpenAPI document, git and webhooks
 * carries a bearer token, a Keycloak JWT whose issuer, signature, expiry and audience ({@code
 * slipway}) are checked or a personal access token with the scope {@code api}, as in every Slipway
 * service.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

  /**
   * Neither git nor webhook deliveries carry a bearer token: git clients authenticate with HTTP
   * Basic and a personal access token, which {@code GitAccessFilter} checks with tenant-service;
   * each webhook delivery is authenticated by its signature with the app's secret, which {@code
   * WebhookReceiver} checks. Nor do registry token requests ({@code /v2/token}): registry clients
   * send a robot's HTTP Basic credentials, which {@code RegistryTokenController} checks. Nor do
   * build pods fetching their context: the one-time token in the URL is the capability, which
   * {@code BuildContexts} checks (docs/security.md). Spring Security stays out of the way of all.
   */
  @Bean
  @Order(1)
  SecurityFilterChain gitAndHooks(HttpSecurity http) throws Exception {
    return http.securityMatcher("/git/**", "/hooks/**", "/v2/token", "/internal/build-context/*")
        .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
        .sessionManagement(
            session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable())
        .requestCache(cache -> cache.disable())
        .build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain api(
      HttpSecurity http,
      JwtDecoder jwtDecoder,
      ObjectProvider<JwtAuthenticationConverter> jwtConverter,
      PersonalAccessTokenVerifier personalAccessTokens)
      throws Exception {
    return ApiSecurity.tokenApi(http, jwtDecoder, jwtConverter, personalAccessTokens);
  }
}
