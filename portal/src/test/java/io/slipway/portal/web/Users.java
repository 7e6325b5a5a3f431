package io.slipway.portal.web;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oidcLogin;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** Signed-in users for slice tests, as Keycloak's sign-in would leave them. */
public final class Users {

  private Users() {}

  public static RequestPostProcessor developer(String name) {
    return oidcLogin()
        .idToken(token -> token.claim("preferred_username", name).subject(name))
        .userInfoToken(info -> info.claim("preferred_username", name));
  }

  public static RequestPostProcessor platformAdmin(String name) {
    return oidcLogin()
        .idToken(token -> token.claim("preferred_username", name).subject(name))
        .authorities(new SimpleGrantedAuthority("ROLE_PLATFORM_ADMIN"));
  }
}
