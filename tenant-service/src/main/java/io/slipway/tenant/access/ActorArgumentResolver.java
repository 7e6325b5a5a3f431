package io.slipway.tenant.access;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives controllers the {@link Actor} behind the request's JWT: {@code preferred_username} (or
 * {@code sub}) is the name; the realm roles {@code platform-admin} and {@code slipway-service} (in
 * Keycloak's {@code realm_access.roles}) make it a platform admin or a service.
 */
class ActorArgumentResolver implements HandlerMethodArgumentResolver {

  static final String PLATFORM_ADMIN_ROLE = "platform-admin";
  static final String SERVICE_ROLE = "slipway-service";

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == Actor.class;
  }

  @Override
  public Actor resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest,
      WebDataBinderFactory binderFactory) {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null || !(authentication.getPrincipal() instanceof Jwt jwt)) {
      throw new AuthenticationCredentialsNotFoundException("A bearer token is required");
    }
    return actorOf(jwt);
  }

  static Actor actorOf(Jwt jwt) {
    String name = jwt.getClaimAsString("preferred_username");
    if (name == null || name.isBlank()) {
      name = jwt.getSubject();
    }
    Collection<?> roles = realmRoles(jwt);
    return new Actor(name, roles.contains(PLATFORM_ADMIN_ROLE), roles.contains(SERVICE_ROLE));
  }

  private static Collection<?> realmRoles(Jwt jwt) {
    // Read raw: a token whose claim has another shape has no roles, rather than failing the call.
    if (jwt.getClaims().get("realm_access") instanceof Map<?, ?> realmAccess
        && realmAccess.get("roles") instanceof Collection<?> roles) {
      return roles;
    }
    return List.of();
  }
}
