package io.slipway.portal.security;

import io.slipway.kit.security.RealmRoles;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gives a signed-in user the authority {@code ROLE_PLATFORM_ADMIN} when Keycloak's access token
 * holds the realm role {@code platform-admin}, so the portal can hide and refuse its admin pages.
 * The services still decide for themselves from the token they receive. The access token is read
 * without verifying its signature because the portal just received it from Keycloak's token
 * endpoint itself, over its own back channel.
 */
class KeycloakRoles implements OAuth2UserService<OidcUserRequest, OidcUser> {

  static final String PLATFORM_ADMIN = "ROLE_PLATFORM_ADMIN";

  private final OidcUserService delegate = new OidcUserService();
  private final JsonMapper json = JsonMapper.builder().build();

  @Override
  public OidcUser loadUser(OidcUserRequest request) throws OAuth2AuthenticationException {
    OidcUser user = delegate.loadUser(request);
    Set<GrantedAuthority> authorities = new HashSet<>(user.getAuthorities());
    if (realmRoles(request.getAccessToken().getTokenValue()).contains(RealmRoles.PLATFORM_ADMIN)) {
      authorities.add(new SimpleGrantedAuthority(PLATFORM_ADMIN));
    }
    return new DefaultOidcUser(
        authorities, user.getIdToken(), user.getUserInfo(), "preferred_username");
  }

  Set<String> realmRoles(String accessToken) {
    String[] parts = accessToken.split("\\.");
    if (parts.length < 2) {
      return Set.of();
    }
    Map<String, Object> claims =
        json.readValue(
            new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8),
            new tools.jackson.core.type.TypeReference<Map<String, Object>>() {});
    return RealmRoles.of(claims);
  }
}
