package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.secret.SecretBox;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * An app's configuration in PostgreSQL: its environment, its secrets (sealed with the {@link
 * SecretBox}; plain values exist only in memory) and its custom domains.
 */
@Repository
class AppConfigStore {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;
  private final SecretBox box;

  AppConfigStore(JdbcClient jdbc, SecretBox box) {
    this.jdbc = jdbc;
    this.box = box;
  }

  /** The environment and secrets every new revision gets. */
  record Config(SortedMap<String, String> env, SortedMap<String, String> secrets) {
    static final Config EMPTY = new Config(new TreeMap<>(), new TreeMap<>());
  }

  Config config(AppRef ref) {
    return jdbc.sql(
            "select env::text as env, secrets from app where tenant = ? and project = ? and app = ?")
        .params(ref.tenant(), ref.project(), ref.app())
        .query(
            (rs, row) -> {
              Map<String, String> env =
                  JSON.readValue(rs.getString("env"), new TypeReference<>() {});
              String sealed = rs.getString("secrets");
              Map<String, String> secrets =
                  sealed == null
                      ? Map.of()
                      : JSON.readValue(box.open(sealed, ref.toString()), new TypeReference<>() {});
              return new Config(new TreeMap<>(env), new TreeMap<>(secrets));
            })
        .optional()
        .orElse(Config.EMPTY);
  }

  /** Stores the configuration (the app's row must exist). */
  void save(AppRef ref, Config config) {
    jdbc.sql(
            "update app set env = ?::jsonb, secrets = ?"
                + " where tenant = ? and project = ? and app = ?")
        .params(
            JSON.writeValueAsString(config.env()),
            config.secrets().isEmpty()
                ? null
                : box.seal(JSON.writeValueAsString(config.secrets()), ref.toString()),
            ref.tenant(),
            ref.project(),
            ref.app())
        .update();
  }

  List<String> domains(AppRef ref) {
    return jdbc.sql(
            "select domain from domain where tenant = ? and project = ? and app = ?"
                + " order by domain")
        .params(ref.tenant(), ref.project(), ref.app())
        .query(String.class)
        .list();
  }

  /** The app that has the domain, if any. */
  Optional<AppRef> owner(String domain) {
    return jdbc.sql(
            "select tenant, project, app, a.tenant_id, a.project_id, a.app_id, a.host_label"
                + " from domain d join app a using (tenant, project, app) where d.domain = ?")
        .param(domain)
        .query((rs, row) -> DeploymentStore.ref(rs))
        .optional();
  }

  /** Claims the domain for the app; false when another app (of any tenant) has it. */
  boolean claim(AppRef ref, String domain) {
    Optional<AppRef> owner = owner(domain);
    if (owner.isPresent()) {
      return owner.get().equals(ref);
    }
    try {
      jdbc.sql("insert into domain (domain, tenant, project, app) values (?, ?, ?, ?)")
          .params(domain, ref.tenant(), ref.project(), ref.app())
          .update();
      return true;
    } catch (DuplicateKeyException raced) {
      return owner(domain).map(ref::equals).orElse(false);
    }
  }

  /** Releases the app's claim on the domain; whether it had it. */
  boolean release(AppRef ref, String domain) {
    return jdbc.sql(
                "delete from domain where domain = ? and tenant = ? and project = ? and app = ?")
            .params(domain, ref.tenant(), ref.project(), ref.app())
            .update()
        > 0;
  }
}
