package io.slipway.kit.security;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The realm roles in a Keycloak token ({@code realm_access.roles}), and the two that mean something
 * to every Slipway service. A claim of another shape gives no roles rather than failing the call.
 */
public final class RealmRoles {

  /** May see and administer every tenant, the quotas and the supply-chain floor. */
  public static final String PLATFORM_ADMIN = "platform-admin";

  /** A Slipway service calling another with its own client-credentials token. */
  public static final String SERVICE = "slipway-service";

  private RealmRoles() {}

  /** The realm roles of a token's claims; empty when the token has none or another shape. */
  public static Set<String> of(Map<String, ?> claims) {
    if (claims.get("realm_access") instanceof Map<?, ?> realm
        && realm.get("roles") instanceof Collection<?> roles) {
      return roles.stream()
          .filter(Objects::nonNull)
          .map(String::valueOf)
          .collect(Collectors.toUnmodifiableSet());
    }
    return Set.of();
  }

  /** Whether the claims hold the realm role. */
  public static boolean has(Map<String, ?> claims, String role) {
    return of(claims).contains(role);
  }

  /** Whether the claims hold {@link #PLATFORM_ADMIN}. */
  public static boolean platformAdmin(Map<String, ?> claims) {
    return has(claims, PLATFORM_ADMIN);
  }
}
