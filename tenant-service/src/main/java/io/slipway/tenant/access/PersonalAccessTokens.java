package io.slipway.tenant.access;

import io.slipway.kit.security.PersonalAccessTokenVerifier;
import java.util.Optional;

/**
 * Authenticates API calls that carry a personal access token ({@code Authorization: Bearer
 * slp_...}) instead of a JWT. Implemented by the token feature, which owns the tokens.
 *
 * <p>Every call looks the token up afresh: a revoked or expired token fails on its next use, never
 * later. A successful call records the use (coarsely, so that busy tokens do not write on every
 * request).
 */
public interface PersonalAccessTokens {

  /** Every personal access token starts with this; no JWT can (a JWT starts with {@code eyJ}). */
  String PREFIX = PersonalAccessTokenVerifier.PREFIX;

  /**
   * The token's holder when the token exists and is neither revoked nor expired, whatever its
   * scopes; empty for anything else, including a string that is not a token at all.
   */
  Optional<TokenHolder> authenticate(String token);
}
