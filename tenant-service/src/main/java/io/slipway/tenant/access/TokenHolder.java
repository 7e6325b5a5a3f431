package io.slipway.tenant.access;

import java.util.Set;

/**
 * The owner of an active personal access token and what the token may do.
 *
 * @param username the owner, as in memberships and the audit log
 * @param scopes never empty
 * @param tokenId the token's id, for the audit trail
 */
public record TokenHolder(String username, Set<TokenScope> scopes, String tokenId) {

  public TokenHolder {
    scopes = Set.copyOf(scopes);
  }

  /** A holder whose token's id is not known (tests). */
  public TokenHolder(String username, Set<TokenScope> scopes) {
    this(username, scopes, null);
  }
}
