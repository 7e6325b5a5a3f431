package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.slipway.kit.secret.SecretBox;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.secret.FirstForm;
import io.slipway.runtime.vm.VmSettings;
import io.slipway.runtime.vm.VmSpec;
import io.slipway.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * After a rotation of {@code slipway.runtime.secret-key}, on a real PostgreSQL with the service's
 * own migrations: the re-sealer moves every stored secret (app rows, revision rows and the
 * configuration kept before a change) under the new key, so that the new key alone opens them all
 * through the stores, and leaves alone what it must not touch.
 */
class SecretResealerIT {

  /** More apps than one batch holds, so that a run takes several transactions per column. */
  private static final int APPS = SecretResealer.BATCH * 2 + 7;

  private static final int VMS = 3;

  private final String keyA = FirstForm.newKey();
  private final String keyB = FirstForm.newKey();
  private HikariDataSource db;
  private JdbcClient jdbc;
  private TransactionTemplate tx;

  @BeforeEach
  void database() {
    // a pool: the stores run a statement per call, hundreds of them here
    db = new HikariDataSource();
    db.setJdbcUrl(TestPostgres.newDatabase());
    Flyway.configure().dataSource(db).locations("classpath:runtime-db/migration").load().migrate();
    jdbc = JdbcClient.create(db);
    tx = new TransactionTemplate(new DataSourceTransactionManager(db));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void everySecretSealedUnderTheOldKeyOpensUnderTheNewAloneAndASecondRunChangesNothing() {
    SecretBox a = SecretBox.fromBase64(keyA);
    AppConfigStore configsA = new AppConfigStore(jdbc, a);
    DeploymentStore deploymentsA = new DeploymentStore(jdbc, a);
    for (int i = 0; i < APPS; i++) {
      AppRef ref = app(i);
      deploymentsA.ensureApp(ref);
      configsA.save(ref, config("now-" + i));
      deploymentsA.insert(spec(ref, 1, "first-" + i), null, null);
      deploymentsA.insert(spec(ref, 2, "now-" + i), null, null);
      configsA.keepBefore(ref, 2, config("first-" + i));
    }
    // three of them are VMs too, whose user-data is sealed as well
    VmStore vmsA = new VmStore(jdbc, a);
    for (int i = 0; i < VMS; i++) {
      vmsA.create(new VmDefinition(vm(app(i)), null));
    }
    // an app whose secrets were stored before values named their key
    jdbc.sql("update app set secrets = ? where app = ?")
        .params(FirstForm.seal(keyA, "{\"TOKEN\":\"now-0\"}", app(0).toString()), app(0).app())
        .update();

    SecretResealer resealer = new SecretResealer(jdbc, tx, SecretBox.fromBase64(keyB, keyA));
    assertThat(resealer.left()).isEqualTo(APPS * 4 + VMS);
    assertThat(resealer.reseal())
        .isEqualTo(new SecretResealer.Resealed(APPS + VMS, APPS * 3, 0, 0));

    SecretBox b = SecretBox.fromBase64(keyB);
    AppConfigStore configsB = new AppConfigStore(jdbc, b);
    DeploymentStore deploymentsB = new DeploymentStore(jdbc, b);
    for (int i = 0; i < APPS; i++) {
      AppRef ref = app(i);
      assertThat(configsB.config(ref)).isEqualTo(config("now-" + i));
      assertThat(configsB.before(ref, 2)).contains(config("first-" + i));
      assertThat(deploymentsB.revision(ref, 1).orElseThrow().spec().secrets())
          .isEqualTo(config("first-" + i).secrets());
      assertThat(deploymentsB.revision(ref, 2).orElseThrow().spec().secrets())
          .isEqualTo(config("now-" + i).secrets());
    }
    VmStore vmsB = new VmStore(jdbc, b);
    for (int i = 0; i < VMS; i++) {
      assertThat(vmsB.find(app(i)).orElseThrow().spec()).isEqualTo(vm(app(i)));
    }
    assertThat(stored()).allSatisfy(value -> assertThat(value).startsWith(b.currentKeyPrefix()));

    List<String> once = stored();
    assertThat(resealer.reseal()).isEqualTo(new SecretResealer.Resealed(0, 0, 0, 0));
    assertThat(stored()).as("a second run rewrites nothing").isEqualTo(once);
  }

  @Test
  void aValueUnderAnUnknownKeyOrCopiedFromAnotherAppIsLeftAsItIsAndCounted() {
    SecretBox a = SecretBox.fromBase64(keyA);
    AppConfigStore configsA = new AppConfigStore(jdbc, a);
    DeploymentStore deploymentsA = new DeploymentStore(jdbc, a);
    for (int i = 0; i < 3; i++) {
      deploymentsA.ensureApp(app(i));
    }
    configsA.save(app(0), config("zero"));
    jdbc.sql("update app set secrets = (select secrets from app where app = ?) where app = ?")
        .params(app(0).app(), app(1).app())
        .update();
    SecretBox unknown = SecretBox.fromBase64(FirstForm.newKey());
    new AppConfigStore(jdbc, unknown).save(app(2), config("two"));
    String copied = sealed(app(1));
    String underUnknown = sealed(app(2));

    SecretBox rotated = SecretBox.fromBase64(keyB, keyA);
    SecretResealer resealer = new SecretResealer(jdbc, tx, rotated);
    assertThat(resealer.reseal()).isEqualTo(new SecretResealer.Resealed(1, 0, 2, 2));

    assertThat(sealed(app(1))).isEqualTo(copied);
    assertThat(sealed(app(2))).isEqualTo(underUnknown);
    AppConfigStore configs = new AppConfigStore(jdbc, rotated);
    assertThat(configs.config(app(0))).isEqualTo(config("zero"));
    assertThatThrownBy(() -> configs.config(app(1)))
        .as("a value copied to another app's row does not open there")
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> configs.config(app(2)))
        .hasMessage(
            "a secret was sealed with key "
                + unknown.keyId()
                + ", which is not slipway.runtime.secret-key or one of"
                + " slipway.runtime.previous-secret-keys");
    assertThat(resealer.reseal()).isEqualTo(new SecretResealer.Resealed(0, 0, 2, 2));
  }

  @Test
  void aConfigurationSavedWhileItsRowIsReSealedIsKept() throws Exception {
    SecretBox a = SecretBox.fromBase64(keyA);
    new DeploymentStore(jdbc, a).ensureApp(app(0));
    new AppConfigStore(jdbc, a).save(app(0), config("old"));
    SecretBox rotated = SecretBox.fromBase64(keyB, keyA);
    String saved = rotated.seal("{\"TOKEN\":\"saved\"}", app(0).toString());

    try (Connection other = db.getConnection()) {
      // another replica saves the app's configuration and has not committed yet
      other.setAutoCommit(false);
      try (PreparedStatement save =
          other.prepareStatement("update app set secrets = ? where app = ?")) {
        save.setString(1, saved);
        save.setString(2, app(0).app());
        save.executeUpdate();
      }
      SecretResealer resealer = new SecretResealer(jdbc, tx, rotated);
      CompletableFuture<SecretResealer.Resealed> run =
          CompletableFuture.supplyAsync(resealer::reseal);
      // the re-sealer read the committed value and waits for the row to write it
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  jdbc.sql(
                              "select count(*) from pg_stat_activity"
                                  + " where wait_event_type = 'Lock' and query like 'update app%'")
                          .query(Integer.class)
                          .single()
                      > 0);
      other.commit();

      assertThat(run.get(30, TimeUnit.SECONDS).apps())
          .as("its compare found another value")
          .isZero();
    }
    assertThat(sealed(app(0))).isEqualTo(saved);
    assertThat(new AppConfigStore(jdbc, SecretBox.fromBase64(keyB)).config(app(0)))
        .isEqualTo(config("saved"));
  }

  /** Every sealed value stored, in a stable order. */
  private List<String> stored() {
    return jdbc.sql(
            "select secrets from app where secrets is not null"
                + " union all select secrets from revision where secrets is not null"
                + " union all select secrets_before from revision where secrets_before is not null"
                + " union all select user_data from vm where user_data is not null"
                + " order by 1")
        .query(String.class)
        .list();
  }

  private String sealed(AppRef ref) {
    return jdbc.sql("select secrets from app where app = ?")
        .param(ref.app())
        .query(String.class)
        .single();
  }

  private static AppRef app(int i) {
    String suffix = Integer.toString(i, 26);
    StringBuilder id = new StringBuilder();
    for (char c : suffix.toCharArray()) {
      id.append((char) ('a' + Character.digit(c, 26)));
    }
    String padded = "a".repeat(11 - id.length()) + id;
    return new AppRef(
        "acme", "shop", "app-" + i, "taaaaaaaaaaa", "paaaaaaaaaaa", "a" + padded, "host-" + i);
  }

  private static AppConfigStore.Config config(String token) {
    return new AppConfigStore.Config(
        new TreeMap<>(Map.of("MODE", "live")), new TreeMap<>(Map.of("TOKEN", token)));
  }

  private static AppSpec spec(AppRef ref, int revision, String token) {
    return new AppSpec(
        ref,
        revision,
        "localhost/acme/shop:" + revision,
        null,
        1,
        8080,
        Map.of("MODE", "live"),
        100,
        128,
        "/",
        AppSpec.DEFAULT_USER,
        true,
        Map.of("TOKEN", token),
        Map.of());
  }

  private static VmSpec vm(AppRef ref) {
    return new VmSpec(
        ref, 1, 256, VmSettings.DEBIAN_IMAGE, "#cloud-config\nhostname: " + ref.app(), List.of(22));
  }
}
