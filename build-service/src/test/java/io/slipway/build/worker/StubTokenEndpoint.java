package io.slipway.build.worker;

import com.sun.net.httpserver.HttpServer;
import java.nio.charset.StandardCharsets;

/**
 * Keycloak's token endpoint of realm {@code slipway} on a test server: always {@code svc-token}.
 */
final class StubTokenEndpoint {

  private StubTokenEndpoint() {}

  static void addTo(HttpServer server) {
    server.createContext(
        "/realms/slipway/protocol/openid-connect/token",
        exchange -> {
          byte[] token =
              "{\"access_token\":\"svc-token\",\"expires_in\":300}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, token.length);
          exchange.getResponseBody().write(token);
          exchange.close();
        });
  }
}
