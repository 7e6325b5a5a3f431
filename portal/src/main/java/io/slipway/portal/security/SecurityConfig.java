package io.slipway.portal.security;

import io.slipway.portal.PortalProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The portal signs users in with Keycloak (OIDC authorization code with PKCE, as a confidential
 * client) and keeps them in a server-side session; the browser holds only the session cookie
 * (HttpOnly, SameSite=Lax, Secure: see application.yaml). Every form carries a CSRF token. Signing
 * out ends the Keycloak session too.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

  static final String REGISTRATION = "keycloak";

  @Bean
  SecurityFilterChain portal(
      HttpSecurity http, ClientRegistrationRepository registrations, PortalProperties properties)
      throws Exception {
    DefaultOAuth2AuthorizationRequestResolver pkce =
        new DefaultOAuth2AuthorizationRequestResolver(registrations, "/oauth2/authorization");
    pkce.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
    return http.authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(
                        "/", "/assets/**", "/webjars/**", "/actuator/health/**", "/error")
                    .permitAll()
                    .requestMatchers("/admin/**")
                    .hasAuthority(KeycloakRoles.PLATFORM_ADMIN)
                    .anyRequest()
                    .authenticated())
        .oauth2Login(
            login ->
                login
                    .loginPage("/oauth2/authorization/" + REGISTRATION)
                    .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(pkce))
                    .userInfoEndpoint(userInfo -> userInfo.oidcUserService(new KeycloakRoles())))
        .logout(
            logout ->
                logout.logoutSuccessHandler(
                    new KeycloakLogoutSuccessHandler(
                        properties.oidcEndpoint("logout"), properties.clientId())))
        .headers(
            headers ->
                headers.contentSecurityPolicy(
                    csp ->
                        csp.policyDirectives(
                            "default-src 'self'; frame-ancestors 'none'; form-action 'self' "
                                + properties.oidcIssuer().resolve("/"))))
        .build();
  }

  /** Built from the issuer URL rather than fetched from it, so start-up never waits on Keycloak. */
  @Bean
  ClientRegistrationRepository clientRegistrations(PortalProperties properties) {
    ClientRegistration keycloak =
        ClientRegistration.withRegistrationId(REGISTRATION)
            .clientId(properties.clientId())
            .clientSecret(properties.clientSecret())
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
            .scope("openid", "profile", "email")
            .issuerUri(properties.oidcIssuer().toString())
            .authorizationUri(properties.oidcEndpoint("auth"))
            .tokenUri(properties.oidcEndpoint("token"))
            .jwkSetUri(properties.oidcEndpoint("certs"))
            .userInfoUri(properties.oidcEndpoint("userinfo"))
            .userNameAttributeName("preferred_username")
            .clientName("Keycloak")
            .providerConfigurationMetadata(
                java.util.Map.of("end_session_endpoint", properties.oidcEndpoint("logout")))
            .build();
    return new InMemoryClientRegistrationRepository(keycloak);
  }

  /** Refreshes the user's access token when it expires, for calls to the services. */
  @Bean
  OAuth2AuthorizedClientManager authorizedClients(
      ClientRegistrationRepository registrations, OAuth2AuthorizedClientRepository clients) {
    DefaultOAuth2AuthorizedClientManager manager =
        new DefaultOAuth2AuthorizedClientManager(registrations, clients);
    manager.setAuthorizedClientProvider(
        OAuth2AuthorizedClientProviderBuilder.builder().authorizationCode().refreshToken().build());
    return manager;
  }
}
