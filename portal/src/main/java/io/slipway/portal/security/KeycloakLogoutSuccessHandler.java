package io.slipway.portal.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.logout.LogoutSuccessHandler;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * RP-initiated logout: after the portal's session is gone, sends the browser to Keycloak's
 * end-session endpoint with the ID token as a hint, so the Keycloak session ends too and Keycloak
 * returns the user to the portal's start page.
 */
class KeycloakLogoutSuccessHandler implements LogoutSuccessHandler {

  private final String endSessionEndpoint;
  private final String clientId;

  KeycloakLogoutSuccessHandler(String endSessionEndpoint, String clientId) {
    this.endSessionEndpoint = endSessionEndpoint;
    this.clientId = clientId;
  }

  @Override
  public void onLogoutSuccess(
      HttpServletRequest request, HttpServletResponse response, Authentication authentication)
      throws IOException {
    String home =
        UriComponentsBuilder.fromUriString(request.getRequestURL().toString())
            .replacePath(request.getContextPath() + "/")
            .replaceQuery(null)
            .build()
            .toUriString();
    if (authentication == null || !(authentication.getPrincipal() instanceof OidcUser user)) {
      response.sendRedirect(home);
      return;
    }
    String logout =
        UriComponentsBuilder.fromUriString(endSessionEndpoint)
            .queryParam("id_token_hint", user.getIdToken().getTokenValue())
            .queryParam("post_logout_redirect_uri", home)
            .queryParam("client_id", clientId)
            .encode()
            .build()
            .toUriString();
    response.sendRedirect(logout);
  }
}
