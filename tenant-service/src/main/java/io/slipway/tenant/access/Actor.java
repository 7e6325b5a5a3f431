package io.slipway.tenant.access;

/**
 * Who is calling: a signed-in user, a platform admin, or another Slipway service acting with its
 * own client-credentials token. Every operation takes the actor and checks it before acting.
 *
 * @param name the user name (or service account name) recorded in memberships and the audit log
 * @param platformAdmin holds the realm role {@code platform-admin}
 * @param service a Slipway service (realm role {@code slipway-service}): may reserve and release
 *     quota in any tenant, and nothing else beyond reading
 */
public record Actor(String name, boolean platformAdmin, boolean service) {

  public static Actor user(String name) {
    return new Actor(name, false, false);
  }

  public static Actor admin(String name) {
    return new Actor(name, true, false);
  }
}
