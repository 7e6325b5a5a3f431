package io.slipway.build.hook;

import io.slipway.build.queue.AppRef;
import io.slipway.build.tenant.AppIds;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The per-app webhook secrets, kept in build-service's database. They are stored as they are:
 * verifying an HMAC needs the secret itself, not a hash of it. Generated on first read (256 random
 * bits, hex), replaced on rotation; the old secret stops working at once.
 */
@Component
class WebhookSecrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcClient jdbc;

  WebhookSecrets(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A secret as stored, with the id of the app it was generated for. */
  record Stored(String secret, String appId) {}

  /**
   * The secret stored under the app's names, with the id of the app it belongs to: the webhook
   * endpoint checks a signature with it before it asks whether the app (still) exists.
   */
  Optional<Stored> find(AppRef app) {
    return jdbc.sql(
            "select secret, app_id from webhook_secret"
                + " where tenant = :t and project = :p and app = :a")
        .param("t", app.tenant())
        .param("p", app.project())
        .param("a", app.app())
        .query((row, n) -> new Stored(row.getString("secret"), row.getString("app_id")))
        .optional();
  }

  /**
   * The app's secret, or empty when none was ever generated for it: a secret of an earlier app of
   * the same names (deleted since, its ids not these) is never its.
   */
  Optional<String> find(AppRef app, AppIds ids) {
    return jdbc.sql(
            "select secret from webhook_secret"
                + " where tenant = :t and project = :p and app = :a and app_id = :id")
        .param("t", app.tenant())
        .param("p", app.project())
        .param("a", app.app())
        .param("id", ids.appId())
        .query(String.class)
        .optional();
  }

  /**
   * The app's secret, generated now when it has none (concurrent first reads agree on one); one of
   * an earlier app of the same names is replaced.
   */
  String getOrCreate(AppRef app, AppIds ids) {
    upsert(app, ids, generate(), "where webhook_secret.app_id is distinct from excluded.app_id");
    return find(app, ids).orElseThrow();
  }

  /** Replaces the app's secret with a new one and returns it. */
  String rotate(AppRef app, AppIds ids) {
    String secret = generate();
    upsert(app, ids, secret, "");
    return secret;
  }

  private void upsert(AppRef app, AppIds ids, String secret, String condition) {
    jdbc.sql(
            """
            insert into webhook_secret (tenant, project, app, tenant_id, project_id, app_id, secret)
            values (:t, :p, :a, :tid, :pid, :aid, :s)
            on conflict (tenant, project, app) do update
              set secret = excluded.secret, tenant_id = excluded.tenant_id,
                  project_id = excluded.project_id, app_id = excluded.app_id, created_at = now()
            """
                + condition)
        .param("t", app.tenant())
        .param("p", app.project())
        .param("a", app.app())
        .param("tid", ids.tenantId())
        .param("pid", ids.projectId())
        .param("aid", ids.appId())
        .param("s", secret)
        .update();
  }

  private static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
