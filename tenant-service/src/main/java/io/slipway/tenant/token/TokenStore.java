package io.slipway.tenant.token;

import io.slipway.tenant.access.TokenScope;
import io.slipway.tenant.token.TokenViews.TokenView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code personal_access_token} table. Times (creation, expiry, status, last use) are all taken
 * from the database's clock, so that they never disagree with each other.
 */
@Repository
class TokenStore {

  private static final String VIEW =
      "id, name, scopes, prefix, created_at, expires_at, last_used_at, revoked_at, "
          + TokenStatus.SQL
          + " as status";

  private final JdbcClient jdbc;

  TokenStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  TokenView insert(String username, String name, Set<TokenScope> scopes, String secret, int days) {
    return jdbc.sql(
            "insert into personal_access_token"
                + " (username, name, scopes, secret_hash, prefix, expires_at)"
                + " values (:username, :name, string_to_array(:scopes, ' '), :hash, :prefix,"
                + " now() + make_interval(days => :days))"
                + " returning "
                + VIEW)
        .param("username", username)
        .param("name", name)
        .param("scopes", scopes.stream().map(TokenScope::value).collect(Collectors.joining(" ")))
        .param("hash", TokenSecret.hash(secret))
        .param("prefix", TokenSecret.displayPrefix(secret))
        .param("days", days)
        .query(TokenStore::view)
        .single();
  }

  /** The owner's tokens, newest first. */
  List<TokenView> page(String username, int size, long offset) {
    return jdbc.sql(
            "select "
                + VIEW
                + " from personal_access_token where username = ?"
                + " order by created_at desc, id desc limit ? offset ?")
        .params(username, size, offset)
        .query(TokenStore::view)
        .list();
  }

  long count(String username) {
    return jdbc.sql("select count(*) from personal_access_token where username = ?")
        .param(username)
        .query(Long.class)
        .single();
  }

  /** The token if {@code username} owns it: another user's token is as absent as no token. */
  Optional<TokenView> find(long id, String username) {
    return jdbc.sql("select " + VIEW + " from personal_access_token where id = ? and username = ?")
        .params(id, username)
        .query(TokenStore::view)
        .optional();
  }

  /** Revokes the token; empty when it was already revoked (or is not the owner's). */
  Optional<TokenView> revoke(long id, String username) {
    return jdbc.sql(
            "update personal_access_token set revoked_at = now()"
                + " where id = ? and username = ? and revoked_at is null returning "
                + VIEW)
        .params(id, username)
        .query(TokenStore::view)
        .optional();
  }

  /** The token with this secret, whatever its status; nothing for a string that is no token. */
  Optional<StoredToken> findBySecret(String secret) {
    if (!TokenSecret.wellFormed(secret)) {
      return Optional.empty();
    }
    return jdbc.sql(
            "select id, username, scopes, expires_at, "
                + TokenStatus.SQL
                + " as status,"
                + " coalesce(last_used_at < now() - interval '1 minute', true) as use_stale"
                + " from personal_access_token where secret_hash = ?")
        .param(TokenSecret.hash(secret))
        .query(
            (rs, row) ->
                new StoredToken(
                    rs.getLong("id"),
                    rs.getString("username"),
                    scopes(rs),
                    rs.getTimestamp("expires_at").toInstant(),
                    TokenStatus.of(rs.getString("status")),
                    rs.getBoolean("use_stale")))
        .optional();
  }

  /**
   * Records that the token was just used, at most once a minute: a token used by a busy script
   * would otherwise cost a write on every request. The condition is repeated in SQL so that
   * concurrent requests write once.
   */
  void recordUse(StoredToken token) {
    if (!token.useStale()) {
      return;
    }
    jdbc.sql(
            "update personal_access_token set last_used_at = now() where id = ?"
                + " and (last_used_at is null or last_used_at < now() - interval '1 minute')")
        .param(token.id())
        .update();
  }

  private static TokenView view(ResultSet rs, int row) throws SQLException {
    return new TokenView(
        rs.getLong("id"),
        rs.getString("name"),
        scopes(rs),
        rs.getString("prefix"),
        instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("expires_at")),
        instant(rs.getTimestamp("last_used_at")),
        instant(rs.getTimestamp("revoked_at")),
        TokenStatus.of(rs.getString("status")));
  }

  private static Set<TokenScope> scopes(ResultSet rs) throws SQLException {
    Set<TokenScope> scopes = EnumSet.noneOf(TokenScope.class);
    for (Object scope : (Object[]) rs.getArray("scopes").getArray()) {
      scopes.add(TokenScope.of((String) scope));
    }
    return scopes;
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  /** A token as authentication and verification see it. */
  record StoredToken(
      long id,
      String username,
      Set<TokenScope> scopes,
      Instant expiresAt,
      TokenStatus status,
      boolean useStale) {}
}
