package io.slipway.portal.token;

import io.slipway.portal.web.Moment;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A personal access token as the tokens page lists it: never its secret. Public, for the template
 * engine's reflection.
 *
 * @param scopes what the token may do, in words
 */
public record TokenRow(
    long id,
    String name,
    String prefix,
    List<String> scopes,
    Moment created,
    Moment expires,
    Moment lastUsed,
    String status) {

  /** A row from one item of tenant-service's token list, dated against {@code now}. */
  static TokenRow of(JsonNode token, Instant now) {
    return new TokenRow(
        token.path("id").asLong(),
        token.path("name").asString(),
        token.path("prefix").asString(),
        token.path("scopes").valueStream().map(scope -> words(scope.asString())).toList(),
        new Moment(instant(token.path("createdAt")), now),
        new Moment(instant(token.path("expiresAt")), now),
        new Moment(instant(token.path("lastUsedAt")), now),
        token.path("status").asString());
  }

  public boolean active() {
    return "active".equals(status);
  }

  /** The scope's name and what it lets the token do. */
  static String words(String scope) {
    return switch (scope) {
      case "git" -> "git: push and clone";
      case "api" -> "api: the REST API";
      default -> scope;
    };
  }

  private static Instant instant(JsonNode node) {
    return node.isString() && !node.asString().isBlank() ? Instant.parse(node.asString()) : null;
  }
}
