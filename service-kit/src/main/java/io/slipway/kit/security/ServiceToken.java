package io.slipway.kit.security;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service's own access token, obtained from Keycloak by OAuth2 client credentials and reused
 * until shortly before it expires, so that a call never leaves with a token about to lapse.
 * Thread-safe; {@link #get()} blocks while a new token is fetched.
 */
public class ServiceToken {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final URI tokenEndpoint;
  private final String clientId;
  private final String clientSecret;
  private final String secretSetting;
  private final HttpClient http;
  private final Clock clock;
  private String token;
  private Instant renewAt = Instant.MIN;

  /**
   * @param issuer the realm's issuer URI ({@code .../realms/slipway})
   * @param secretSetting the setting that holds the secret, named when it is missing
   */
  public ServiceToken(String issuer, String clientId, String clientSecret, String secretSetting) {
    this.tokenEndpoint = URI.create(issuer + "/protocol/openid-connect/token");
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.secretSetting = secretSetting;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.clock = Clock.systemUTC();
  }

  /** A token valid for at least the next half minute. */
  public synchronized String get() {
    if (clientSecret == null || clientSecret.isBlank()) {
      throw new IllegalStateException(secretSetting + " is not set");
    }
    Instant now = clock.instant();
    if (token != null && now.isBefore(renewAt)) {
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
            "Keycloak refused the client credentials of "
                + clientId
                + ": "
                + response.statusCode());
      }
      JsonNode body = JSON.readTree(response.body());
      token = body.path("access_token").asString();
      long expiresIn = body.path("expires_in").asLong(60);
      renewAt = now.plusSeconds(Math.max(5, expiresIn - 30));
      return token;
    } catch (IOException e) {
      throw new IllegalStateException("Keycloak is unreachable at " + tokenEndpoint, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fetching a token", e);
    }
  }
}
