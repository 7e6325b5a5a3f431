package io.slipway.build.kubernetes;

import io.slipway.build.BuildProperties;
import io.slipway.build.tenant.AppIds;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * One-time capability URLs for build contexts: {@code <context-url>/internal/build-context/<token>}
 * with a 256-bit random token of which only the SHA-256 is kept, pinned at issue time to the
 * build's repository and commit, good for one fetch within {@code context-lifetime}.
 */
@Component
public class BuildContexts {

  /** What a token was issued for: the repository and commit whose tree it yields. */
  record Pinned(UUID buildId, AppIds repository, String commitId) {}

  static final String PATH = "/internal/build-context/";
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcClient jdbc;
  private final KubernetesBuildProperties settings;
  private final Path dataDir;

  BuildContexts(JdbcClient jdbc, KubernetesBuildProperties settings, BuildProperties build) {
    this.jdbc = jdbc;
    this.settings = settings;
    this.dataDir = build.dataDir();
  }

  /** A new one-time URL of {@code commitId}'s tree in {@code repository}, for {@code buildId}. */
  public URI issue(UUID buildId, AppIds repository, String commitId) {
    if (settings.contextUrl().isBlank()) {
      throw new IllegalStateException(
          "slipway.build.kubernetes.context-url is not set: build pods cannot fetch their context");
    }
    if (!COMMIT.matcher(commitId).matches()) {
      throw new IllegalArgumentException("not a commit id: " + commitId);
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    // expired tokens are of no use to anyone: each issue sweeps them
    jdbc.sql("delete from build_context_token where expires_at < now()").update();
    jdbc.sql(
            "insert into build_context_token (token_hash, build_id, tenant_id, project_id, app_id,"
                + " commit_id, expires_at) values (?, ?, ?, ?, ?, ?,"
                + " now() + make_interval(secs => ?))")
        .params(
            sha256(token),
            buildId,
            repository.tenantId(),
            repository.projectId(),
            repository.appId(),
            commitId,
            settings.contextLifetime().toSeconds())
        .update();
    return URI.create(settings.contextUrl() + PATH + token);
  }

  /**
   * Uses up {@code token}: what it was issued for when it is known, unexpired and unused; empty
   * otherwise, and the same empty whichever it is.
   */
  Optional<Pinned> consume(String token) {
    if (token == null || !TOKEN.matcher(token).matches()) {
      return Optional.empty();
    }
    return jdbc.sql(
            "update build_context_token set used_at = now() where token_hash = ?"
                + " and used_at is null and expires_at > now()"
                + " returning build_id, tenant_id, project_id, app_id, commit_id")
        .param(sha256(token))
        .query(
            (rs, n) ->
                new Pinned(
                    rs.getObject(1, UUID.class),
                    new AppIds(rs.getString(2), rs.getString(3), rs.getString(4)),
                    rs.getString(5)))
        .optional();
  }

  Path repositoryOf(Pinned pinned) {
    return pinned.repository().repositoryIn(dataDir);
  }

  private static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
