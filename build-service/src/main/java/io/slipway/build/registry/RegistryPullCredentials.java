package io.slipway.build.registry;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Per-project image pull credentials, for the pull Secret the kubernetes driver puts in each
 * project's namespace: username {@code pull.<project id>}, a 256-bit random password of which only
 * the SHA-256 is kept. The token service grants it {@code pull}, never {@code push}, on the
 * repositories under its tenant's id (an app may run an image promoted from another project of its
 * tenant), so a namespace's Secret reads its own tenant's images and no one else's. A project stays
 * bound to the tenant it was first issued for: a request naming another tenant is refused.
 */
@Component
public class RegistryPullCredentials {

  /** How the kubelet logs in to the registry for a project's pods. */
  public record PullLogin(String username, String password) {}

  static final String PREFIX = "pull.";
  private static final Pattern ID = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] NO_CREDENTIAL = RegistryRobots.sha256("no project has this password");

  private final JdbcClient jdbc;

  RegistryPullCredentials(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * A new credential for the project, replacing the password it had; empty when the project is
   * already bound to another tenant.
   *
   * @throws IllegalArgumentException when an id is not a DNS-1123 label
   */
  public Optional<PullLogin> issue(String tenantId, String projectId) {
    if (!ID.matcher(tenantId).matches() || !ID.matcher(projectId).matches()) {
      throw new IllegalArgumentException("a tenant's and a project's ids are DNS-1123 labels");
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String password = HexFormat.of().formatHex(bytes);
    int written =
        jdbc.sql(
                "insert into registry_pull_credential (project_id, tenant_id, password_hash)"
                    + " values (?, ?, ?) on conflict (project_id) do update"
                    + " set password_hash = excluded.password_hash, issued_at = now()"
                    + " where registry_pull_credential.tenant_id = excluded.tenant_id")
            .params(projectId, tenantId, RegistryRobots.sha256(password))
            .update();
    return written == 0
        ? Optional.empty()
        : Optional.of(new PullLogin(PREFIX + projectId, password));
  }

  /** The project's caller when {@code password} is its credential's: pull on its tenant's. */
  Optional<RegistryCaller> verify(String username, String password) {
    String projectId = username.substring(PREFIX.length());
    record Row(byte[] hash, String tenantId) {}
    Optional<Row> row =
        jdbc.sql(
                "select password_hash, tenant_id from registry_pull_credential"
                    + " where project_id = ?")
            .param(projectId)
            .query((rs, n) -> new Row(rs.getBytes(1), rs.getString(2)))
            .optional();
    boolean matches =
        MessageDigest.isEqual(
            RegistryRobots.sha256(password), row.map(Row::hash).orElse(NO_CREDENTIAL));
    return matches
        ? Optional.of(new RegistryCaller.Robot(username, row.get().tenantId(), Set.of("pull")))
        : Optional.empty();
  }
}
