package io.slipway.portal.token;

import io.slipway.kit.client.TenantViews.Token;
import io.slipway.portal.web.Moment;
import java.time.Instant;
import java.util.List;

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
  static TokenRow of(Token token, Instant now) {
    return new TokenRow(
        token.id(),
        token.name(),
        token.prefix(),
        token.scopes().stream().map(TokenRow::words).toList(),
        new Moment(token.createdAt(), now),
        new Moment(token.expiresAt(), now),
        new Moment(token.lastUsedAt(), now),
        token.status());
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
}
