package io.slipway.build.registry;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Per-build registry push credentials, for build pods that push themselves (the Kubernetes
 * executor): username {@code job.<build id>}, a 256-bit random password of which only the SHA-256
 * is kept. The token service grants it push and pull on exactly the build's repository until it
 * expires, so a leaked credential reaches one repository for one build's lifetime.
 */
@Component
public class BuildPushCredentials {

  /** How a build pod logs in to the registry. */
  public record PushLogin(String username, String password) {}

  static final String PREFIX = "job.";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] NO_CREDENTIAL = RegistryRobots.sha256("no build has this password");

  private final JdbcClient jdbc;

  BuildPushCredentials(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * A new credential for {@code buildId}, replacing any it had: push and pull on {@code repository}
   * ({@code <tenant id>/<project id>/<app id>}) for {@code lifetime}.
   */
  public PushLogin issue(UUID buildId, String repository, Duration lifetime) {
    if (repository.split("/").length != 3) {
      throw new IllegalArgumentException("not a build repository: " + repository);
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String password = HexFormat.of().formatHex(bytes);
    jdbc.sql(
            "insert into build_push_credential (build_id, password_hash, repository, expires_at)"
                + " values (?, ?, ?, now() + make_interval(secs => ?))"
                + " on conflict (build_id) do update set password_hash = excluded.password_hash,"
                + " repository = excluded.repository, expires_at = excluded.expires_at")
        .params(buildId, RegistryRobots.sha256(password), repository, lifetime.toSeconds())
        .update();
    return new PushLogin(PREFIX + buildId, password);
  }

  /** Ends the build's credential before it expires (the build ended). */
  public void revoke(UUID buildId) {
    jdbc.sql("delete from build_push_credential where build_id = ? or expires_at < now()")
        .param(buildId)
        .update();
  }

  /** The build's caller when {@code password} is its unexpired credential's. */
  Optional<RegistryCaller> verify(String username, String password) {
    UUID buildId;
    try {
      buildId = UUID.fromString(username.substring(PREFIX.length()));
    } catch (IllegalArgumentException notABuild) {
      return Optional.empty();
    }
    record Row(byte[] hash, String repository) {}
    Optional<Row> row =
        jdbc.sql(
                "select password_hash, repository from build_push_credential"
                    + " where build_id = ? and expires_at > now()")
            .param(buildId)
            .query((rs, n) -> new Row(rs.getBytes(1), rs.getString(2)))
            .optional();
    boolean matches =
        MessageDigest.isEqual(
            RegistryRobots.sha256(password), row.map(Row::hash).orElse(NO_CREDENTIAL));
    return matches
        ? Optional.of(new RegistryCaller.BuildJob(username, row.get().repository()))
        : Optional.empty();
  }
}
