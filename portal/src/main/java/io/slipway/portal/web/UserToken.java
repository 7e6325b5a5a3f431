package io.slipway.portal.web;

import io.slipway.kit.client.ServiceClients;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.ClientAuthorizationException;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The signed-in user's access token, renewed with the refresh token when it has expired: the portal
 * calls every service as the user (the browser never holds a token).
 */
final class UserToken {

  private static final String REGISTRATION = "keycloak";

  private final OAuth2AuthorizedClientManager clients;

  UserToken(OAuth2AuthorizedClientManager clients) {
    this.clients = clients;
  }

  /** The {@code Authorization} value for the user being served; a 401 problem when signed out. */
  String bearer() {
    var user = SecurityContextHolder.getContext().getAuthentication();
    if (user == null) {
      throw expired();
    }
    OAuth2AuthorizeRequest.Builder request =
        OAuth2AuthorizeRequest.withClientRegistrationId(REGISTRATION).principal(user);
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes browser) {
      request.attribute(HttpServletRequest.class.getName(), browser.getRequest());
      if (browser.getResponse() != null) {
        request.attribute(HttpServletResponse.class.getName(), browser.getResponse());
      }
    }
    OAuth2AuthorizedClient client;
    try {
      client = clients.authorize(request.build());
    } catch (ClientAuthorizationException e) {
      throw expired();
    }
    if (client == null) {
      throw expired();
    }
    return ServiceClients.bearer(client.getAccessToken().getTokenValue());
  }

  private static ServiceProblem expired() {
    return new ServiceProblem(
        401, "unauthorized", "Your sign-in has expired. Sign in again to continue.");
  }
}
