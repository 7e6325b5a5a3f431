package io.slipway.kit.security;

import io.slipway.kit.problem.Problem;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * How every Slipway service guards its API: a stateless OAuth2 resource server whose bearer tokens
 * (Keycloak JWTs checked for issuer, signature, expiry and audience, or personal access tokens
 * {@code slp_...} with the scope {@code api}) travel in headers, never cookies, and whose refusals
 * are problem details. Health, the error page and the OpenAPI document are public everywhere.
 */
public final class ApiSecurity {

  /** Paths every service leaves open. */
  public static final String[] PUBLIC_PATHS = {"/actuator/health/**", "/error"};

  /** The OpenAPI document and its Swagger UI, public so that a client can be set up. */
  public static final String[] DOCUMENT_PATHS = {
    "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html"
  };

  /** The scope a personal access token needs for any service's REST API. */
  public static final String API_SCOPE = "api";

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
   * The chain of a service whose every call but health and the OpenAPI document carries a bearer
   * token: a Keycloak JWT, or a personal access token verified by tenant-service, which acts as its
   * owner and needs the scope {@code api} (403 {@code token-scope} naming the scopes it has
   * otherwise). The async dispatch that ends a stream (build logs, app logs) was authorized when
   * the stream began.
   */
  public static SecurityFilterChain tokenApi(
      HttpSecurity http,
      JwtDecoder jwtDecoder,
      ObjectProvider<JwtAuthenticationConverter> jwtConverter,
      PersonalAccessTokenVerifier personalAccessTokens)
      throws Exception {
    ProblemAccessDeniedHandler forbidden =
        new ProblemAccessDeniedHandler(ApiSecurity::missingScope);
    BearerTokens managers =
        new BearerTokens(
            jwt(jwtDecoder, jwtConverter),
            new ProviderManager(new PersonalAccessTokenProvider(personalAccessTokens)));
    return stateless(http, forbidden)
        .authorizeHttpRequests(
            requests ->
                requests
                    .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                    .permitAll()
                    .requestMatchers(PUBLIC_PATHS)
                    .permitAll()
                    .requestMatchers(DOCUMENT_PATHS)
                    .permitAll()
                    .anyRequest()
                    .access(apiAccess()))
        .oauth2ResourceServer(
            server ->
                server
                    .authenticationManagerResolver(managers)
                    .authenticationEntryPoint(new ProblemEntryPoint())
                    .accessDeniedHandler(forbidden))
        .build();
  }

  /** Any authenticated caller, except a personal access token without the {@code api} scope. */
  static AuthorizationManager<RequestAuthorizationContext> apiAccess() {
    AuthenticatedAuthorizationManager<RequestAuthorizationContext> authenticated =
        AuthenticatedAuthorizationManager.authenticated();
    return (authentication, request) ->
        authentication.get() instanceof PersonalAccessTokenAuthentication token
            ? new AuthorizationDecision(token.has(API_SCOPE))
            : authenticated.authorize(authentication, request);
  }

  /** The 403 for a personal access token without the {@code api} scope: which scopes it has. */
  static Optional<Problem> missingScope(Authentication caller) {
    if (caller instanceof PersonalAccessTokenAuthentication token && !token.has(API_SCOPE)) {
      return Optional.of(
          new Problem(
                  HttpStatus.FORBIDDEN,
                  "token-scope",
                  "Forbidden",
                  "This personal access token has the scopes "
                      + String.join(", ", token.scopeNames())
                      + "; the API needs a token with the scope "
                      + API_SCOPE)
              .with("scopes", token.scopeNames()));
    }
    return Optional.empty();
  }

  /**
   * JWTs are checked as {@code oauth2ResourceServer().jwt()} would, with Boot's converter; a moment
   * when the identity provider's keys cannot be fetched is a 503 to retry, not a 500.
   */
  public static AuthenticationManager jwt(
      JwtDecoder decoder, ObjectProvider<JwtAuthenticationConverter> converter) {
    return new ProviderManager(
        new JwtProvider(decoder, converter.getIfAvailable(), Duration.ofMillis(250)));
  }
}
