package io.slipway.runtime.deploy;

import io.slipway.kit.secret.SecretBox;
import io.slipway.kit.validation.AppNames;
import io.slipway.runtime.domain.Challenge;
import io.slipway.runtime.model.AppRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * An app's configuration in PostgreSQL: its environment, its secrets (sealed with the {@link
 * SecretBox}; plain values exist only in memory), which of them its previews get, and its claims of
 * custom domains.
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

  /** The app's own configuration, as {@code PUT .../env} set it. */
  Config config(AppRef ref) {
    return config(ref.tenant(), ref.project(), ref.app());
  }

  private Config config(String tenant, String project, String app) {
    String path = tenant + "/" + project + "/" + app;
    return jdbc.sql(
            "select env::text as env, secrets from app where tenant = ? and project = ? and app = ?")
        .params(tenant, project, app)
        .query((rs, row) -> opened(path, rs.getString("env"), rs.getString("secrets")))
        .optional()
        .orElse(Config.EMPTY);
  }

  /**
   * What a new revision of the app runs with, given the app's own configuration {@code own}: that
   * alone for an app; for a preview ({@code <preview>--<app>}) the configuration {@link
   * PreviewEnvironment} derives from its parent's and {@code own}, read now, so a change of the
   * parent reaches the preview with its next revision; without any secret for an app that ran a
   * fork's pull request ({@link #markFork}).
   */
  Config forRevision(AppRef ref, Config own) {
    Optional<String> parent = AppNames.parentOf(ref.app());
    Config config =
        parent.isEmpty()
            ? own
            : PreviewEnvironment.derive(
                config(ref.tenant(), ref.project(), parent.get()),
                previewSecrets(ref.tenant(), ref.project(), parent.get()),
                own);
    // a fork's code is anyone's: it gets no secret, not even one its preview was given itself
    return fork(ref) ? new Config(config.env(), new TreeMap<>()) : config;
  }

  /**
   * Marks the app as running a pull request from a fork (issue 25): every revision from now on runs
   * with no secrets ({@link #forRevision}), until the app is deleted. The app's row must exist.
   */
  void markFork(AppRef ref) {
    int marked =
        jdbc.sql("update app set fork = true where tenant = ? and project = ? and app = ?")
            .params(ref.tenant(), ref.project(), ref.app())
            .update();
    if (marked != 1) {
      throw new IllegalStateException("no app " + ref + " to mark as a fork's");
    }
  }

  private boolean fork(AppRef ref) {
    return jdbc.sql("select fork from app where tenant = ? and project = ? and app = ?")
        .params(ref.tenant(), ref.project(), ref.app())
        .query(Boolean.class)
        .optional()
        .orElse(false);
  }

  /** The names of the app's secrets marked {@code preview: true}, of those it still has. */
  SortedSet<String> previewSecrets(AppRef ref) {
    SortedSet<String> marked = previewSecrets(ref.tenant(), ref.project(), ref.app());
    marked.retainAll(config(ref).secrets().keySet());
    return marked;
  }

  private SortedSet<String> previewSecrets(String tenant, String project, String app) {
    return jdbc.sql(
            "select preview_secrets::text from app where tenant = ? and project = ? and app = ?")
        .params(tenant, project, app)
        .query(String.class)
        .optional()
        .map(json -> new TreeSet<>(JSON.readValue(json, new TypeReference<List<String>>() {})))
        .orElseGet(TreeSet::new);
  }

  /**
   * Marks the app's secret {@code name} {@code preview: true} or not; false when the app has no
   * secret of that name.
   */
  boolean markPreview(AppRef ref, String name, boolean preview) {
    // one read (and opening) of the secrets: they are sealed, so each read decrypts them all
    Set<String> secrets = config(ref).secrets().keySet();
    if (!secrets.contains(name)) {
      return false;
    }
    SortedSet<String> marked = previewSecrets(ref.tenant(), ref.project(), ref.app());
    marked.retainAll(secrets);
    if (preview) {
      marked.add(name);
    } else {
      marked.remove(name);
    }
    jdbc.sql(
            "update app set preview_secrets = ?::jsonb"
                + " where tenant = ? and project = ? and app = ?")
        .params(JSON.writeValueAsString(marked), ref.tenant(), ref.project(), ref.app())
        .update();
    return true;
  }

  /** Stores the configuration (the app's row must exist). */
  void save(AppRef ref, Config config) {
    jdbc.sql(
            "update app set env = ?::jsonb, secrets = ?"
                + " where tenant = ? and project = ? and app = ?")
        .params(
            JSON.writeValueAsString(config.env()),
            sealed(ref, config),
            ref.tenant(),
            ref.project(),
            ref.app())
        .update();
  }

  /**
   * Keeps with a configuration change's revision the configuration stored before it, which a failed
   * rollout of the revision puts back ({@link #before}).
   */
  void keepBefore(AppRef ref, int revision, Config before) {
    jdbc.sql(
            "update revision set env_before = ?::jsonb, secrets_before = ?"
                + " where tenant = ? and project = ? and app = ? and revision = ?")
        .params(
            JSON.writeValueAsString(before.env()),
            sealed(ref, before),
            ref.tenant(),
            ref.project(),
            ref.app(),
            revision)
        .update();
  }

  /**
   * The configuration stored before the change revision {@code revision} made; empty for others.
   */
  Optional<Config> before(AppRef ref, int revision) {
    return jdbc.sql(
            "select env_before::text as env, secrets_before from revision"
                + " where tenant = ? and project = ? and app = ? and revision = ?"
                + " and env_before is not null")
        .params(ref.tenant(), ref.project(), ref.app(), revision)
        .query(
            (rs, row) ->
                opened(ref.toString(), rs.getString("env"), rs.getString("secrets_before")))
        .optional();
  }

  private Config opened(String path, String env, String sealed) {
    Map<String, String> plain = JSON.readValue(env, new TypeReference<>() {});
    Map<String, String> secrets =
        sealed == null
            ? Map.of()
            : JSON.readValue(box.open(sealed, path), new TypeReference<>() {});
    return new Config(new TreeMap<>(plain), new TreeMap<>(secrets));
  }

  private String sealed(AppRef ref, Config config) {
    return config.secrets().isEmpty()
        ? null
        : box.seal(JSON.writeValueAsString(config.secrets()), ref.toString());
  }

  /** A claim of a custom domain by an app: pending until proven, then verified and routed. */
  record DomainClaim(
      String domain,
      String token,
      boolean verified,
      String failure,
      Instant checkedAt,
      Instant verifiedAt) {}

  private static final String CLAIM_COLUMNS =
      "domain, token, state, failure, checked_at, verified_at";

  private static DomainClaim claim(java.sql.ResultSet rs) throws java.sql.SQLException {
    java.sql.Timestamp checked = rs.getTimestamp("checked_at");
    java.sql.Timestamp verified = rs.getTimestamp("verified_at");
    return new DomainClaim(
        rs.getString("domain"),
        rs.getString("token"),
        "verified".equals(rs.getString("state")),
        rs.getString("failure"),
        checked == null ? null : checked.toInstant(),
        verified == null ? null : verified.toInstant());
  }

  /** The app's claims, verified or not, by domain. */
  List<DomainClaim> claims(AppRef ref) {
    return jdbc.sql(
            "select "
                + CLAIM_COLUMNS
                + " from domain where tenant = ? and project = ? and app = ? order by domain")
        .params(ref.tenant(), ref.project(), ref.app())
        .query((rs, row) -> claim(rs))
        .list();
  }

  Optional<DomainClaim> claim(AppRef ref, String domain) {
    return jdbc.sql(
            "select "
                + CLAIM_COLUMNS
                + " from domain where tenant = ? and project = ? and app = ? and domain = ?")
        .params(ref.tenant(), ref.project(), ref.app(), domain)
        .query((rs, row) -> claim(rs))
        .optional();
  }

  /** The domains the app proved it controls: the only ones routed to it. */
  List<String> verifiedDomains(AppRef ref) {
    return jdbc.sql(
            "select domain from domain where tenant = ? and project = ? and app = ?"
                + " and state = 'verified' order by domain")
        .params(ref.tenant(), ref.project(), ref.app())
        .query(String.class)
        .list();
  }

  /** Whether another app (of any tenant) holds the domain verified. */
  boolean verifiedElsewhere(AppRef ref, String domain) {
    return jdbc.sql(
                "select count(*) from domain where domain = ? and state = 'verified'"
                    + " and not (tenant = ? and project = ? and app = ?)")
            .params(domain, ref.tenant(), ref.project(), ref.app())
            .query(Integer.class)
            .single()
        > 0;
  }

  int claimCount(AppRef ref) {
    return jdbc.sql("select count(*) from domain where tenant = ? and project = ? and app = ?")
        .params(ref.tenant(), ref.project(), ref.app())
        .query(Integer.class)
        .single();
  }

  /** Records a pending claim with this token; an existing claim of the app is kept as it is. */
  DomainClaim addClaim(AppRef ref, String domain, String token) {
    jdbc.sql(
            "insert into domain (domain, tenant, project, app, token) values (?, ?, ?, ?, ?)"
                + " on conflict do nothing")
        .params(domain, ref.tenant(), ref.project(), ref.app(), token)
        .update();
    return claim(ref, domain).orElseThrow();
  }

  /** Marks the claim verified; false when another app verified the domain first. */
  boolean markVerified(AppRef ref, String domain) {
    try {
      return jdbc.sql(
                  "update domain set state = 'verified', failure = null, checked_at = now(),"
                      + " verified_at = now()"
                      + " where domain = ? and tenant = ? and project = ? and app = ?")
              .params(domain, ref.tenant(), ref.project(), ref.app())
              .update()
          > 0;
    } catch (DuplicateKeyException raced) {
      return false;
    }
  }

  /** Keeps why the last check failed, for the owner to read. */
  void markFailed(AppRef ref, String domain, String failure) {
    jdbc.sql(
            "update domain set failure = ?, checked_at = now()"
                + " where domain = ? and tenant = ? and project = ? and app = ? and state = 'pending'")
        .params(failure, domain, ref.tenant(), ref.project(), ref.app())
        .update();
  }

  /** Every pending claim of every app: the challenges the router answers. */
  List<Challenge> pendingChallenges() {
    return jdbc.sql(
            "select domain, token from domain where state = 'pending' order by domain, token")
        .query((rs, row) -> new Challenge(rs.getString("domain"), rs.getString("token")))
        .list();
  }

  /** Releases every claim of the app, pending or verified. */
  void releaseDomains(AppRef ref) {
    jdbc.sql("delete from domain where tenant = ? and project = ? and app = ?")
        .params(ref.tenant(), ref.project(), ref.app())
        .update();
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
