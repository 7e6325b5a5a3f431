package io.slipway.cli.auth;

import io.slipway.cli.api.ApiException;
import io.slipway.cli.api.Http;
import io.slipway.cli.api.Json;
import io.slipway.cli.api.Uris;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The identity provider's endpoints the CLI uses (RFC 8628's device authorization grant and the
 * refresh token grant), for the public client {@code slipway-cli}: no secret, no password ever
 * typed into the CLI.
 */
public final class Oidc {

  /** What the user is shown, and what the CLI polls with. */
  public record DeviceAuthorization(
      String deviceCode,
      String userCode,
      String verificationUri,
      String verificationUriComplete,
      int expiresIn,
      int interval) {}

  public record Tokens(String accessToken, String refreshToken, long expiresAt) {}

  /** Waits between polls; tests may pass one that does not sleep the whole interval. */
  public interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  private final Http http;
  private final String clientId;

  public Oidc(Servers servers) {
    this.http = new Http("the identity provider", servers.issuer(), () -> null);
    this.clientId = servers.clientId();
  }

  public DeviceAuthorization start() {
    Http.Answer answer =
        http.postForm(
            "/protocol/openid-connect/auth/device",
            "client_id=" + Uris.form(clientId) + "&scope=openid");
    Map<String, Object> body = body(answer);
    if (answer.status() != 200) {
      throw new ApiException(
          answer.status() >= 500 ? answer.status() : 401,
          String.valueOf(body.get("error")),
          "the identity provider refused the device login for client "
              + clientId
              + ": "
              + body.getOrDefault("error_description", body.get("error")));
    }
    return new DeviceAuthorization(
        (String) body.get("device_code"),
        (String) body.get("user_code"),
        (String) body.get("verification_uri"),
        (String) body.get("verification_uri_complete"),
        ((Number) body.getOrDefault("expires_in", 600L)).intValue(),
        ((Number) body.getOrDefault("interval", 5L)).intValue());
  }

  /** Polls until the user approved (tokens), denied or let the code expire (401 either way). */
  public Tokens await(DeviceAuthorization device, Pause pause) throws InterruptedException {
    Duration interval = Duration.ofSeconds(Math.max(1, device.interval()));
    long deadline = System.nanoTime() + Duration.ofSeconds(device.expiresIn()).toNanos();
    while (System.nanoTime() < deadline) {
      pause.pause(interval);
      Http.Answer answer =
          http.postForm(
              "/protocol/openid-connect/token",
              "grant_type="
                  + Uris.form("urn:ietf:params:oauth:grant-type:device_code")
                  + "&client_id="
                  + Uris.form(clientId)
                  + "&device_code="
                  + Uris.form(device.deviceCode()));
      Map<String, Object> body = body(answer);
      if (answer.status() == 200) {
        return tokens(body);
      }
      String error = String.valueOf(body.get("error"));
      switch (error) {
        case "authorization_pending" -> {}
        case "slow_down" -> interval = interval.plusSeconds(5);
        case "access_denied" ->
            throw new ApiException(401, error, "the login was denied in the browser");
        case "expired_token" ->
            throw new ApiException(
                401, error, "the code expired before it was entered; log in again");
        default ->
            throw new ApiException(
                answer.status(), error, "the identity provider answered: " + body);
      }
    }
    throw new ApiException(401, "expired_token", "the code expired before it was entered");
  }

  /** New tokens for a refresh token; a refused one (ended session, revoked) is a 401. */
  public Tokens refresh(String refreshToken) {
    Http.Answer answer =
        http.postForm(
            "/protocol/openid-connect/token",
            "grant_type=refresh_token&client_id="
                + Uris.form(clientId)
                + "&refresh_token="
                + Uris.form(refreshToken));
    if (answer.status() != 200) {
      throw new ApiException(
          401,
          "session-ended",
          "your session has ended (the identity provider refused to renew it): run slipway-cli"
              + " login");
    }
    return tokens(body(answer));
  }

  private static Tokens tokens(Map<String, Object> body) {
    long expiresIn = ((Number) body.getOrDefault("expires_in", 60L)).longValue();
    return new Tokens(
        (String) body.get("access_token"),
        (String) body.get("refresh_token"),
        System.currentTimeMillis() / 1000 + expiresIn);
  }

  private static Map<String, Object> body(Http.Answer answer) {
    try {
      return Json.object(Json.parse(answer.body()));
    } catch (IllegalArgumentException e) {
      return Map.of("error", "invalid_response", "error_description", answer.body());
    }
  }

  /** A claim of a JWT's payload (not verified: the services verify; the CLI only shows it). */
  public static Object claim(String jwt, String name) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      return null;
    }
    try {
      String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
      return Json.object(Json.parse(payload)).get(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
