package io.slipway.tenant.access;

import io.slipway.kit.audit.AuditActor;
import io.slipway.kit.problem.Problem;
import io.slipway.kit.security.RealmRoles;
import java.util.Set;
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
 * Gives controllers the {@link Actor} behind the request's credentials.
 *
 * <p>For a JWT, {@code preferred_username} (or {@code sub}) is the name; the realm roles {@code
 * platform-admin} and {@code slipway-service} (in Keycloak's {@code realm_access.roles}) make it a
 * platform admin or a service. A personal access token acts as its owner, always a plain user:
 * those powers come only from the identity provider, never from a long-lived token.
 *
 * <p>{@link InteractiveSignIn} and {@link ServiceCaller} on the parameter narrow who may call.
 */
class ActorArgumentResolver implements HandlerMethodArgumentResolver {

  static final String PLATFORM_ADMIN_ROLE = RealmRoles.PLATFORM_ADMIN;
  static final String SERVICE_ROLE = RealmRoles.SERVICE;

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
    boolean byToken = authentication instanceof PersonalAccessTokenAuthentication;
    Actor actor = actorOf(authentication);
    if (parameter.hasParameterAnnotation(InteractiveSignIn.class)) {
      if (byToken) {
        throw Problem.forbidden(
            "This needs an interactive sign-in; a personal access token may not be used for it");
      }
      if (actor.service()) {
        throw Problem.forbidden("Services may not manage personal access tokens");
      }
    }
    ServiceCaller services = parameter.getParameterAnnotation(ServiceCaller.class);
    if (services != null
        && (!actor.service()
            || (services.value().length > 0
                && !java.util.Arrays.asList(services.value()).contains(actor.name())))) {
      throw Problem.forbidden(
          services.value().length == 0
              ? "Only Slipway services may call this"
              : "Only " + String.join(", ", services.value()) + " may call this");
    }
    return actor;
  }

  static Actor actorOf(Authentication authentication) {
    if (authentication instanceof PersonalAccessTokenAuthentication token) {
      return Actor.user(AuditActor.of(token).name());
    }
    if (authentication != null && authentication.getPrincipal() instanceof Jwt jwt) {
      return actorOf(jwt);
    }
    throw new AuthenticationCredentialsNotFoundException("A bearer token is required");
  }

  /**
   * Named by the platform's one rule ({@link AuditActor}): a service by its OAuth2 client ({@code
   * azp}), which is what its grants are keyed by; a user by {@code preferred_username}, falling
   * back to {@code sub}.
   */
  static Actor actorOf(Jwt jwt) {
    Set<String> roles = RealmRoles.of(jwt.getClaims());
    return new Actor(
        AuditActor.of(jwt).name(),
        roles.contains(PLATFORM_ADMIN_ROLE),
        roles.contains(SERVICE_ROLE));
  }
}
