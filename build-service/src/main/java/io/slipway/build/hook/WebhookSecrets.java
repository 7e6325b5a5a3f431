package io.slipway.build.hook;

import io.slipway.build.queue.AppRef;
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

  /** The app's secret, or empty when none was ever generated. */
  Optional<String> find(AppRef app) {
    return jdbc.sql(
            "select secret from webhook_secret where tenant = :t and project = :p and app = :a")
        .param("t", app.tenant())
        .param("p", app.project())
        .param("a", app.app())
        .query(String.class)
        .optional();
  }

  /** The app's secret, generated now when it has none (concurrent first reads agree on one). */
  String getOrCreate(AppRef app) {
    jdbc.sql(
            """
            insert into webhook_secret (tenant, project, app, secret) values (:t, :p, :a, :s)
            on conflict do nothing
            """)
        .param("t", app.tenant())
        .param("p", app.project())
        .param("a", app.app())
        .param("s", generate())
        .update();
    return find(app).orElseThrow();
  }

  /** Replaces the app's secret with a new one and returns it. */
  String rotate(AppRef app) {
    String secret = generate();
    jdbc.sql(
            """
            insert into webhook_secret (tenant, project, app, secret) values (:t, :p, :a, :s)
            on conflict (tenant, project, app) do update set secret = :s, created_at = now()
            """)
        .param("t", app.tenant())
        .param("p", app.project())
        .param("a", app.app())
        .param("s", secret)
        .update();
    return secret;
  }

  private static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
