package io.slipway.tenant.access;

import java.util.Set;

/**
 * The owner of an active personal access token and what the token may do.
 *
 * @param username the owner, as in memberships and the audit log
 * @param scopes never empty
 */
public record TokenHolder(String username, Set<TokenScope> scopes) {

  public TokenHolder {
    scopes = Set.copyOf(scopes);
  }
}
