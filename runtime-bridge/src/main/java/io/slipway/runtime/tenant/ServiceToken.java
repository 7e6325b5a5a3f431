package io.slipway.runtime.tenant;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * runtime-bridge's own access token (OAuth2 client credentials at Keycloak), kept until shortly
 * before it expires.
 */
public class ServiceToken {

  private final URI tokenEndpoint;
  private final String clientId;
  private final String clientSecret;
  private final HttpClient http;
  private String token;
  private Instant renewAt = Instant.EPOCH;

  public ServiceToken(String issuer, String clientId, String clientSecret, HttpClient http) {
    this.tokenEndpoint = URI.create(issuer + "/protocol/openid-connect/token");
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.http = http;
  }

  public synchronized String get() {
    if (clientSecret == null || clientSecret.isBlank()) {
      throw new IllegalStateException(
          "slipway.runtime.client-secret (SLIPWAY_RUNTIME_CLIENT_SECRET) is not set");
    }
    if (token != null && Instant.now().isBefore(renewAt)) {
      return token;
    }
    String form =
        "grant_type=client_credentials&client_id="
            + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
            + "&client_secret="
            + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(tokenEndpoint)
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(form))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "Keycloak refused runtime-bridge's client credentials: " + response.statusCode());
      }
      JsonNode body = JsonMapper.builder().build().readTree(response.body());
      token = body.path("access_token").asString();
      long expiresIn = body.path("expires_in").asLong(60);
      renewAt = Instant.now().plusSeconds(Math.max(5, expiresIn - 30));
      return token;
    } catch (IOException e) {
      throw new IllegalStateException("Keycloak is unreachable at " + tokenEndpoint, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fetching a token", e);
    }
  }
}
