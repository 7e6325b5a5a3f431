package io.slipway.kit.security;

import jakarta.servlet.DispatcherType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * How every Slipway service guards its API: a stateless OAuth2 resource server whose bearer tokens
 * (Keycloak JWTs checked for issuer, signature, expiry and audience, or in tenant-service also
 * personal access tokens) travel in headers, never cookies, and whose refusals are problem details.
 * Health and the error page are public everywhere.
 */
public final class ApiSecurity {

  /** Paths every service leaves open. */
  public static final String[] PUBLIC_PATHS = {"/actuator/health/**", "/error"};

  private ApiSecurity() {}

  /**
   * Stateless, without CSRF protection (bearer tokens in headers, no cookies: nothing for a
   * cross-site request to ride on), and answering 401 and 403 with problem details.
   */
  public static HttpSecurity stateless(HttpSecurity http, ProblemAccessDeniedHandler forbidden)
      throws Exception {
    ProblemEntryPoint unauthorized = new ProblemEntryPoint();
    return http.exceptionHandling(
            errors -> errors.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
        .sessionManagement(
            session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable());
  }

  /**
   * The chain of a service whose every call but health carries a Keycloak JWT. The async dispatch
   * that ends a stream (build logs, app logs) was authorized when the stream began.
   */
  public static SecurityFilterChain jwtApi(HttpSecurity http) throws Exception {
    ProblemAccessDeniedHandler forbidden = new ProblemAccessDeniedHandler();
    return stateless(http, forbidden)
        .authorizeHttpRequests(
            requests ->
                requests
                    .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                    .permitAll()
                    .requestMatchers(PUBLIC_PATHS)
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(
            server ->
                server
                    .jwt(Customizer.withDefaults())
                    .authenticationEntryPoint(new ProblemEntryPoint())
                    .accessDeniedHandler(forbidden))
        .build();
  }
}
