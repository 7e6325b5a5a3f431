package io.slipway.kit.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks tenant-service whether a personal access token is good for a scope ({@code POST
 * /api/v1/internal/tokens/verify}, with the calling service's own token). Nothing is cached: a
 * revoked or expired token fails on the very next request. Thread-safe.
 */
public class PersonalAccessTokenVerifier {

  /** The prefix every personal access token starts with, and no JWT does. */
  public static final String PREFIX = "slp_";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final URI endpoint;
  private final ServiceToken serviceToken;
  private final HttpClient http;

  /**
   * What tenant-service said of a token.
   *
   * @param username the owner, present unless the token is unknown, revoked or expired
   * @param tokenId the token's id, for the audit trail (null when tenant-service did not say)
   * @param scopes the token's scopes (also when it lacks the one asked for)
   * @param role the owner's role in the tenant asked about; empty when not a member or not asked
   * @param granted whether the token is active and has the scope asked for
   * @param reason tenant-service's reason when not granted ({@code unknown}, {@code revoked},
   *     {@code expired}, {@code missing-scope})
   */
  public record Verification(
      String username,
      String tokenId,
      Set<String> scopes,
      Instant expiresAt,
      Optional<String> role,
      boolean granted,
      String reason) {

    /** Whether the token itself is good, only lacking the scope asked for. */
    public boolean onlyMissingScope() {
      return !granted && "missing-scope".equals(reason);
    }
  }

  /**
   * @param tenantApi tenant-service's base URL
   */
  public PersonalAccessTokenVerifier(URI tenantApi, ServiceToken serviceToken, HttpClient http) {
    this.endpoint = tenantApi.resolve("/api/v1/internal/tokens/verify");
    this.serviceToken = serviceToken;
    this.http = http;
  }

  /**
   * Verifies {@code token} for {@code scope}, and when {@code tenant} is not null also answers the
   * owner's role there.
   *
   * @throws IllegalStateException when tenant-service does not answer as it should
   */
  public Verification verify(String token, String scope, String tenant) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("token", token);
    body.put("scope", scope);
    if (tenant != null) {
      body.put("tenant", tenant);
    }
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(endpoint)
                  .timeout(Duration.ofSeconds(10))
                  .header("Authorization", "Bearer " + serviceToken.get())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("tenant-service is unreachable at " + endpoint, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while verifying a token", e);
    }
    int status = response.statusCode();
    if (status != 200 && status != 422) {
      throw new IllegalStateException(
          "tenant-service answered " + status + " to verifying a personal access token");
    }
    JsonNode answer = JSON.readTree(response.body());
    Set<String> scopes = new LinkedHashSet<>();
    answer.path("scopes").forEach(name -> scopes.add(name.asString()));
    if (status == 422) {
      return new Verification(
          null,
          null,
          Set.copyOf(scopes),
          null,
          Optional.empty(),
          false,
          answer.path("reason").asString("unknown"));
    }
    String expires = answer.path("expiresAt").asString(null);
    return new Verification(
        answer.path("username").asString(),
        answer.hasNonNull("id") ? answer.get("id").asString() : null,
        Set.copyOf(scopes),
        expires == null ? null : Instant.parse(expires),
        Optional.ofNullable(answer.path("role").asString(null)),
        true,
        null);
  }
}
