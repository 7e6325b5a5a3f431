package io.slipway.build.governance;

import io.slipway.kit.problem.Problem;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The internal governance endpoints answer runtime-bridge's client-credentials token only: what
 * admission needs is not for tenants, nor for a personal access token.
 */
public final class RuntimeBridgeCaller {

  static final String CLIENT = "runtime-bridge";

  private RuntimeBridgeCaller() {}

  /**
   * @param what what the caller asked for, as the refusal names it ("read image attestations")
   */
  public static void require(Jwt caller, String what) {
    if (caller == null || !CLIENT.equals(caller.getClaimAsString("azp"))) {
      throw Problem.forbidden("Only runtime-bridge's service token may " + what);
    }
  }
}
