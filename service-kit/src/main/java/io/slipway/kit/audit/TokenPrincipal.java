package io.slipway.kit.audit;

/**
 * An authentication by a personal access token: the audit trail names it by its owner and the
 * token's id ({@link AuditActor#of}). Implemented by every service's token authentication.
 */
public interface TokenPrincipal {

  /** The owner's user name. */
  String owner();

  /** The token's id at tenant-service (never its secret); null when tenant-service did not say. */
  String tokenId();
}
