package io.slipway.build.governance;

import io.slipway.kit.audit.AuditActor;
import io.slipway.kit.problem.Problem;
import io.slipway.kit.security.RealmRoles;
import org.springframework.security.oauth2.jwt.Jwt;

/** The check of the admin endpoints: the caller's token carries the realm role platform-admin. */
final class PlatformAdmin {

  static final String ROLE = RealmRoles.PLATFORM_ADMIN;

  private PlatformAdmin() {}

  /**
   * Refuses callers without the realm role {@code platform-admin} (403).
   *
   * @param action what needs the role, e.g. {@code "Importing advisories"}
   */
  static void require(Jwt caller, String action) {
    if (!RealmRoles.platformAdmin(caller.getClaims())) {
      throw Problem.forbidden(action + " needs the platform-admin role");
    }
  }

  /** Who did it, for the log: the username, else the subject. */
  static String name(Jwt caller) {
    return AuditActor.of(caller).name();
  }
}
