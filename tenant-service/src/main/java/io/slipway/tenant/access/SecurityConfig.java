package io.slipway.tenant.access;

import io.slipway.kit.security.ApiSecurity;
import io.slipway.kit.security.BearerTokens;
import io.slipway.kit.security.ProblemAccessDeniedHandler;
import io.slipway.kit.security.ProblemEntryPoint;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * tenant-service is a stateless OAuth2 resource server: every API call carries a bearer token,
 * either a JWT from the identity provider or a personal access token ({@code slp_...}). Health and
 * the OpenAPI document are public.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig implements WebMvcConfigurer {

  @Bean
  SecurityFilterChain api(
      HttpSecurity http,
      JwtDecoder jwtDecoder,
      ObjectProvider<JwtAuthenticationConverter> jwtConverter,
      PersonalAccessTokens tokens)
      throws Exception {
    ProblemEntryPoint unauthorized = new ProblemEntryPoint();
    ProblemAccessDeniedHandler forbidden = new ProblemAccessDeniedHandler(TokenScopeProblem::of);
    BearerTokens managers =
        new BearerTokens(
            ApiSecurity.jwt(jwtDecoder, jwtConverter),
            new ProviderManager(new PersonalAccessTokenProvider(tokens)));
    return ApiSecurity.stateless(http, forbidden)
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(ApiSecurity.PUBLIC_PATHS)
                    .permitAll()
                    .requestMatchers(ApiSecurity.DOCUMENT_PATHS)
                    .permitAll()
                    .requestMatchers("/actuator/info")
                    .permitAll()
                    .anyRequest()
                    .access(new ApiAccess()))
        .oauth2ResourceServer(
            server ->
                server
                    .authenticationManagerResolver(managers)
                    .authenticationEntryPoint(unauthorized)
                    .accessDeniedHandler(forbidden))
        .build();
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new ActorArgumentResolver());
  }
}
