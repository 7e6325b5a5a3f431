package io.slipway.cli.auth;

import java.util.Map;

/**
 * Where the platform's parts answer. Kept in {@code servers.json} by {@code login}; each may be
 * given at login or by an environment variable, else the local stack's ports of {@code ./slipway
 * up}.
 */
public record Servers(
    String tenantUrl,
    String buildUrl,
    String runtimeUrl,
    String portalUrl,
    String issuer,
    String clientId) {

  public static final String FILE = "servers.json";

  /** The local stack of {@code ./slipway up}, unless the environment says otherwise. */
  public static Servers defaults(Map<String, String> environment) {
    return new Servers(
        environment.getOrDefault("SLIPWAY_TENANT_URL", "http://127.0.0.1:8081"),
        environment.getOrDefault("SLIPWAY_BUILD_URL", "http://127.0.0.1:8082"),
        environment.getOrDefault("SLIPWAY_RUNTIME_URL", "http://127.0.0.1:8083"),
        environment.getOrDefault("SLIPWAY_PORTAL_URL", "http://127.0.0.1:8080"),
        environment.getOrDefault("SLIPWAY_OIDC_ISSUER", "http://127.0.0.1:18080/realms/slipway"),
        environment.getOrDefault("SLIPWAY_CLI_CLIENT_ID", "slipway-cli"));
  }
}
