package io.slipway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;

/**
 * The checks every Slipway service that is an OAuth2 resource server must pass, against the real
 * Keycloak of the test run: health is public; anything else needs a valid token from the slipway
 * realm; tampered tokens and tokens of another realm are refused.
 */
public final class ResourceServerChecks {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ResourceServerChecks() {}

  /** Runs every check against the service at {@code baseUrl}. */
  public static void assertGuardedByKeycloak(String baseUrl) {
    assertThat(status(baseUrl + "/actuator/health", null)).as("health is public").isEqualTo(200);
    String api = baseUrl + "/api/v1/no-such-thing";
    assertThat(status(api, null)).as("no token").isEqualTo(401);
    String service = TestKeycloak.serviceToken("runtime-bridge");
    assertThat(status(api, service)).as("a valid token passes (then: not found)").isEqualTo(404);
    assertThat(status(api, TestKeycloak.tampered(service))).as("tampered token").isEqualTo(401);
    assertThat(status(api, TestKeycloak.otherRealmToken())).as("another realm's").isEqualTo(401);
    assertThat(status(api, "not-a-jwt")).as("garbage").isEqualTo(401);
  }

  private static int status(String url, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return HTTP.send(request.build(), BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
