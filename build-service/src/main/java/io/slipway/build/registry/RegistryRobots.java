package io.slipway.build.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The robot accounts, kept in build-service's database: only a SHA-256 of each password (256 random
 * bits, so a slow hash would add nothing). Deleting one takes effect on its next token request.
 */
final class RegistryRobots {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Compared against when no robot has the name, so a miss costs what a hit does. */
  private static final byte[] NO_ROBOT = sha256("no robot has this password");

  private final JdbcClient jdbc;

  RegistryRobots(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A robot as listed: never its password. */
  record Robot(String name, String username, String access, String createdBy, Instant createdAt) {}

  /** A robot just created, with the password shown this once. */
  record Created(String name, String username, String access, String password) {}

  /** A robot's credentials checked: its tenant's id and access. */
  record Verified(String tenantId, String access) {}

  List<Robot> list(String tenantId) {
    return jdbc.sql(
            "select tenant, name, access, created_by, created_at from registry_robot"
                + " where tenant_id = ? order by name")
        .param(tenantId)
        .query(
            (row, n) ->
                new Robot(
                    row.getString("name"),
                    row.getString("tenant") + "+" + row.getString("name"),
                    row.getString("access"),
                    row.getString("created_by"),
                    row.getTimestamp("created_at").toInstant()))
        .list();
  }

  int count(String tenantId) {
    return jdbc.sql("select count(*) from registry_robot where tenant_id = ?")
        .param(tenantId)
        .query(Integer.class)
        .single();
  }

  /** Creates the robot; empty when the tenant already has one of that name. */
  Optional<Created> create(
      String tenantId, String tenant, String name, String access, String createdBy) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String password = HexFormat.of().formatHex(bytes);
    int inserted =
        jdbc.sql(
                "insert into registry_robot"
                    + " (tenant_id, tenant, name, access, password_hash, created_by)"
                    + " values (?, ?, ?, ?, ?, ?) on conflict do nothing")
            .params(tenantId, tenant, name, access, sha256(password), createdBy)
            .update();
    return inserted == 0
        ? Optional.empty()
        : Optional.of(new Created(name, tenant + "+" + name, access, password));
  }

  boolean delete(String tenantId, String name) {
    return jdbc.sql("delete from registry_robot where tenant_id = ? and name = ?")
            .params(tenantId, name)
            .update()
        > 0;
  }

  /** The robot {@code <tenant>+<name>} if {@code password} is its password. */
  Optional<Verified> verify(String tenant, String name, String password) {
    record Row(String tenantId, String access, byte[] hash) {}
    Optional<Row> row =
        jdbc.sql(
                "select tenant_id, access, password_hash from registry_robot"
                    + " where tenant = ? and name = ?")
            .params(tenant, name)
            .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getBytes(3)))
            .optional();
    boolean matches = MessageDigest.isEqual(sha256(password), row.map(Row::hash).orElse(NO_ROBOT));
    return matches ? row.map(r -> new Verified(r.tenantId(), r.access())) : Optional.empty();
  }

  static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
