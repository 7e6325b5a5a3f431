package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.kit.secret.SecretBox;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.ProcessSpec;
import io.slipway.runtime.rollout.RolloutResult;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Apps and their revisions in PostgreSQL. */
@Repository
class DeploymentStore {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String COLUMNS =
      "r.tenant, r.project, r.app, r.revision, r.image, r.digest, r.replicas, r.port,"
          + " r.env::text as env, r.cpu_millicores, r.memory_mib, r.health_path, r.run_as_user,"
          + " r.read_only_root, r.build_id, r.build_number, r.commit_id, r.status, r.reason, r.reservation_keys, r.created_at,"
          + " r.finished_at, r.secrets, r.live_at, r.stages::text as stages,"
          + " r.processes::text as processes, r.pinned, r.image_removed_at,"
          + " a.tenant_id, a.project_id, a.app_id, a.host_label";
  private static final String FROM = " from revision r join app a using (tenant, project, app)";

  private final JdbcClient jdbc;
  private final SecretBox box;

  DeploymentStore(JdbcClient jdbc, SecretBox box) {
    this.jdbc = jdbc;
    this.box = box;
  }

  /**
   * Records the app with its ids (a no-op when it is known). A row of these names with other ids
   * belongs to an app deleted in tenant-service whose deletion event this bridge has not applied
   * yet: refused until it has, so the new app never inherits anything of the old one.
   */
  void ensureApp(AppRef ref) {
    List<Object> stored =
        jdbc.sql(
                "insert into app (tenant, project, app, tenant_id, project_id, app_id, host_label)"
                    + " values (?, ?, ?, ?, ?, ?, ?)"
                    + " on conflict (tenant, project, app) do update set app_id = app.app_id"
                    + " returning app_id, deleting")
            .params(
                ref.tenant(),
                ref.project(),
                ref.app(),
                ref.tenantId(),
                ref.projectId(),
                ref.appId(),
                ref.hostLabel())
            .query((rs, row) -> List.<Object>of(rs.getString("app_id"), rs.getBoolean("deleting")))
            .single();
    if (Boolean.TRUE.equals(stored.get(1))) {
      throw beingDeleted(ref);
    }
    if (!ref.appId().equals(stored.getFirst())) {
      throw Problem.conflict(
          "being-deleted",
          "An earlier app named '"
              + ref
              + "' was deleted and is still being removed; try again in a minute");
    }
  }

  /** 409 {@code being-deleted}: a deletion of the app was accepted and is under way. */
  static RuntimeException beingDeleted(AppRef ref) {
    return Problem.conflict(
        "being-deleted", "App " + ref + " is being deleted; it takes no deploy or change");
  }

  /**
   * Marks the app deleting (the desired state of a deletion the reconciler carries out); false when
   * the bridge holds no row of it, so there is nothing to delete.
   */
  boolean markDeleting(AppRef ref) {
    return jdbc.sql("update app set deleting = true where app_id = ?").param(ref.appId()).update()
        > 0;
  }

  /** Whether a deletion of the app was accepted and not yet carried out. */
  boolean deleting(AppRef ref) {
    return jdbc.sql("select deleting from app where app_id = ?")
        .param(ref.appId())
        .query(Boolean.class)
        .optional()
        .orElse(false);
  }

  /** The apps whose deletion was accepted and not yet carried out. */
  List<AppRef> allDeleting() {
    return jdbc.sql(
            "select tenant, project, app, tenant_id, project_id, app_id, host_label from app"
                + " where deleting")
        .query((rs, row) -> ref(rs))
        .list();
  }

  /** The app of these names the bridge still holds under other ids: one deleted since. */
  java.util.Optional<AppRef> earlier(AppRef ref) {
    return jdbc.sql(
            "select tenant, project, app, tenant_id, project_id, app_id, host_label from app"
                + " where tenant = ? and project = ? and app = ? and app_id <> ?")
        .params(ref.tenant(), ref.project(), ref.app(), ref.appId())
        .query((rs, row) -> ref(rs))
        .optional();
  }

  /** Every app this bridge holds a row of, deployed or not. */
  List<AppRef> allApps() {
    return jdbc.sql(
            "select tenant, project, app, tenant_id, project_id, app_id, host_label from app"
                + " where app_id is not null")
        .query((rs, row) -> ref(rs))
        .list();
  }

  /**
   * What the bridge holds of an app, by id: whether it is stopped, whether it has a live revision,
   * and its newest revision's status (null when it has none).
   */
  record Standing(boolean stopped, boolean live, String newest) {}

  /** The app's {@link Standing}; empty when the bridge holds no row of it. */
  Optional<Standing> standing(AppRef ref) {
    return jdbc.sql(
            "select a.stopped,"
                + " exists (select 1 from revision r where r.tenant = a.tenant"
                + " and r.project = a.project and r.app = a.app"
                + " and r.revision = a.live_revision and r.status = ?) as live,"
                + " (select r.status from revision r where r.tenant = a.tenant"
                + " and r.project = a.project and r.app = a.app"
                + " order by r.revision desc limit 1) as newest"
                + " from app a where a.app_id = ?")
        .params(RevisionRecord.LIVE, ref.appId())
        .query(
            (rs, row) ->
                new Standing(
                    rs.getBoolean("stopped"), rs.getBoolean("live"), rs.getString("newest")))
        .optional();
  }

  /** The projects this bridge holds apps of, by id. */
  Set<String> projectIds() {
    return Set.copyOf(
        jdbc.sql("select distinct project_id from app where project_id is not null")
            .query(String.class)
            .list());
  }

  List<AppRef> apps(String tenantId, String projectId, String appId) {
    return jdbc.sql(
            "select tenant, project, app, tenant_id, project_id, app_id, host_label from app"
                + " where tenant_id = ? and (?::text is null or project_id = ?)"
                + " and (?::text is null or app_id = ?)")
        .params(tenantId, projectId, projectId, appId, appId)
        .query((rs, row) -> ref(rs))
        .list();
  }

  /** Whether the app is stopped (an unknown app is not). */
  boolean stopped(AppRef ref) {
    return jdbc.sql("select stopped from app where tenant = ? and project = ? and app = ?")
        .params(ref.tenant(), ref.project(), ref.app())
        .query(Boolean.class)
        .optional()
        .orElse(false);
  }

  void setStopped(AppRef ref, boolean stopped) {
    jdbc.sql("update app set stopped = ? where tenant = ? and project = ? and app = ?")
        .params(stopped, ref.tenant(), ref.project(), ref.app())
        .update();
  }

  /** Every reservation key any revision of the app still holds. */
  List<String> heldKeys(AppRef ref) {
    return jdbc
        .sql(
            "select reservation_keys from revision where tenant = ? and project = ? and app = ?"
                + " and reservation_keys is not null")
        .params(ref.tenant(), ref.project(), ref.app())
        .query(String.class)
        .list()
        .stream()
        .flatMap(k -> keys(k).stream())
        .toList();
  }

  /** The live revision now holds these reservations (none while stopped). */
  void setKeys(AppRef ref, int revision, List<String> reservationKeys) {
    jdbc.sql(
            "update revision set reservation_keys = ?"
                + " where tenant = ? and project = ? and app = ? and revision = ?")
        .params(joined(reservationKeys), ref.tenant(), ref.project(), ref.app(), revision)
        .update();
  }

  void setStages(AppRef ref, int revision, List<RolloutResult.Stage> stages) {
    jdbc.sql(
            "update revision set stages = ?::jsonb"
                + " where tenant = ? and project = ? and app = ? and revision = ?")
        .params(JSON.writeValueAsString(stages), ref.tenant(), ref.project(), ref.app(), revision)
        .update();
  }

  /** Forgets the app: its events, domains, revisions and row. */
  @Transactional
  void deleteApp(AppRef ref) {
    for (String table : List.of("app_event", "domain", "revision", "app")) {
      jdbc.sql("delete from " + table + " where tenant = ? and project = ? and app = ?")
          .params(ref.tenant(), ref.project(), ref.app())
          .update();
    }
  }

  /** The next revision number of the app, creating the app's row when it is new. */
  @Transactional
  int nextRevision(AppRef ref) {
    ensureApp(ref);
    return jdbc.sql(
            "select coalesce(max(revision), 0) + 1 from revision"
                + " where tenant = ? and project = ? and app = ?")
        .params(ref.tenant(), ref.project(), ref.app())
        .query(Integer.class)
        .single();
  }

  /** Records a new revision being rolled out now, made from {@code build} (null: not a build). */
  void insert(AppSpec spec, BuildOrigin build, String reservationKey) {
    insert(spec, build, reservationKey, RevisionRecord.DEPLOYING, null);
  }

  /** Records an accepted revision that the reconciler rolls out ({@link #pending}). */
  void insertPending(
      AppSpec spec, BuildOrigin build, String reservationKey, Acceptance acceptance) {
    insert(spec, build, reservationKey, RevisionRecord.PENDING, acceptance);
  }

  private void insert(
      AppSpec spec,
      BuildOrigin build,
      String reservationKey,
      String status,
      Acceptance acceptance) {
    AppRef ref = spec.ref();
    jdbc.sql(
            "insert into revision (tenant, project, app, revision, image, digest, replicas, port,"
                + " env, cpu_millicores, memory_mib, health_path, run_as_user, read_only_root,"
                + " build_id, build_number, commit_id, status, reservation_keys, secrets,"
                + " processes, accepted)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?::jsonb, ?::jsonb)")
        .params(
            ref.tenant(),
            ref.project(),
            ref.app(),
            spec.revision(),
            spec.image(),
            spec.digest(),
            spec.replicas(),
            spec.port(),
            JSON.writeValueAsString(spec.env()),
            spec.cpuMillicores(),
            spec.memoryMib(),
            spec.healthPath(),
            spec.runAsUser(),
            spec.readOnlyRootFilesystem(),
            build == null ? null : build.id(),
            build == null ? null : build.number(),
            build == null ? null : build.commit(),
            status,
            reservationKey,
            spec.secrets().isEmpty()
                ? null
                : box.seal(JSON.writeValueAsString(spec.secrets()), ref.toString()),
            JSON.writeValueAsString(spec.processes()),
            acceptance == null ? null : JSON.writeValueAsString(acceptance))
        .update();
  }

  /** The app's oldest accepted revision not yet rolled out, with what its rollout needs. */
  Optional<Pending> pending(AppRef ref) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + ", r.accepted::text as accepted"
                + FROM
                + " where a.app_id = ? and r.status = ? order by r.revision limit 1")
        .params(ref.appId(), RevisionRecord.PENDING)
        .query(this::pendingRow)
        .optional();
  }

  /**
   * The app's newest accepted revision that is not given up: pending, being rolled out, or live
   * (never one superseded, failed or retired). What the platform's own revisions (a restart, a
   * configuration change) are made from, so that they carry a pushed image still waiting.
   */
  Optional<Pending> newestAccepted(AppRef ref) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + ", r.accepted::text as accepted"
                + FROM
                + " where a.app_id = ? and r.status in (?, ?, ?) order by r.revision desc limit 1")
        .params(ref.appId(), RevisionRecord.PENDING, RevisionRecord.DEPLOYING, RevisionRecord.LIVE)
        .query(this::pendingRow)
        .optional();
  }

  private Pending pendingRow(ResultSet rs, int row) throws SQLException {
    String accepted = rs.getString("accepted");
    return new Pending(
        revision(rs, row),
        accepted == null
            ? new Acceptance("Deployed", "", 0, false, null, Map.of(), null)
            : JSON.readValue(accepted, Acceptance.class));
  }

  /** An accepted revision and what its rollout needs. */
  record Pending(RevisionRecord revision, Acceptance acceptance) {}

  /** The apps with accepted revisions waiting for the reconciler. */
  List<AppRef> withPending() {
    return jdbc.sql(
            "select distinct a.tenant, a.project, a.app, a.tenant_id, a.project_id, a.app_id,"
                + " a.host_label"
                + FROM
                + " where r.status = ?")
        .params(RevisionRecord.PENDING)
        .query((rs, row) -> ref(rs))
        .list();
  }

  /**
   * Marks an accepted revision as being rolled out; false when it is no longer pending. From here
   * on a replica that dies leaves it {@code deploying}, which the reconciler abandons.
   */
  boolean startRollout(AppRef ref, int revision) {
    return jdbc.sql(
                "update revision set status = ? where tenant = ? and project = ? and app = ?"
                    + " and revision = ? and status = ?")
            .params(
                RevisionRecord.DEPLOYING,
                ref.tenant(),
                ref.project(),
                ref.app(),
                revision,
                RevisionRecord.PENDING)
            .update()
        == 1;
  }

  /**
   * Marks the app's revisions older than {@code revision} that are still pending (accepted, not
   * started) as superseded by it, so no reconciler rolls them out; returns them as they were, with
   * the reservations the caller must release. A revision whose rollout started is not touched.
   */
  List<RevisionRecord> supersede(AppRef ref, int revision) {
    List<RevisionRecord> older =
        jdbc.sql(
                "select "
                    + COLUMNS
                    + FROM
                    + " where a.app_id = ? and r.status = ? and r.revision < ?"
                    + " order by r.revision for update of r")
            .params(ref.appId(), RevisionRecord.PENDING, revision)
            .query(this::revision)
            .list();
    List<RevisionRecord> superseded = new ArrayList<>();
    for (RevisionRecord pending : older) {
      int updated =
          jdbc.sql(
                  "update revision set status = ?, reason = ?, reservation_keys = null,"
                      + " finished_at = now()"
                      + " where tenant = ? and project = ? and app = ? and revision = ? and status = ?")
              .params(
                  RevisionRecord.SUPERSEDED,
                  "superseded by revision " + revision,
                  ref.tenant(),
                  ref.project(),
                  ref.app(),
                  pending.spec().revision(),
                  RevisionRecord.PENDING)
              .update();
      if (updated == 1) {
        superseded.add(pending);
      }
    }
    return superseded;
  }

  Optional<RevisionRecord> byBuildId(AppRef ref, String buildId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + FROM
                + " where tenant = ? and project = ? and app = ? and build_id = ?")
        .params(ref.tenant(), ref.project(), ref.app(), buildId)
        .query(this::revision)
        .optional();
  }

  Optional<RevisionRecord> revision(AppRef ref, int revision) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + FROM
                + " where tenant = ? and project = ? and app = ? and revision = ?")
        .params(ref.tenant(), ref.project(), ref.app(), revision)
        .query(this::revision)
        .optional();
  }

  /** The app's revisions, newest first. */
  List<RevisionRecord> revisions(AppRef ref, int limit) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + FROM
                + " where tenant = ? and project = ? and app = ?"
                + " order by revision desc limit ?")
        .params(ref.tenant(), ref.project(), ref.app(), limit)
        .query(this::revision)
        .list();
  }

  Optional<RevisionRecord> live(AppRef ref) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + FROM
                + " where tenant = ? and project = ? and app = ?"
                + " and r.revision = a.live_revision")
        .params(ref.tenant(), ref.project(), ref.app())
        .query(this::revision)
        .optional();
  }

  /** The live revision of every app that is not stopped: what the reconciler keeps running. */
  List<RevisionRecord> allLive() {
    return jdbc.sql("select " + COLUMNS + FROM + " where r.status = ? and not a.stopped")
        .params(RevisionRecord.LIVE)
        .query(this::revision)
        .list();
  }

  /**
   * The live revision of the app with this id if it is not stopped: what the reconciler asks again
   * under the app's lock, since a deploy or stop may have finished since its pass began.
   */
  Optional<AppSpec> running(AppRef ref) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + FROM
                + " where a.app_id = ? and r.revision = a.live_revision and r.status = ?"
                + " and not a.stopped")
        .params(ref.appId(), RevisionRecord.LIVE)
        .query(this::revision)
        .optional()
        .map(RevisionRecord::spec);
  }

  /** Live revisions of stopped apps that still hold reservations (a stop that did not finish). */
  List<RevisionRecord> stoppedHolding() {
    return jdbc.sql(
            "select "
                + COLUMNS
                + FROM
                + " where r.status = ? and a.stopped and r.reservation_keys is not null")
        .params(RevisionRecord.LIVE)
        .query(this::revision)
        .list();
  }

  /** Revisions whose rollout never finished (the bridge stopped in the middle). */
  List<RevisionRecord> unfinished() {
    return jdbc.sql("select " + COLUMNS + FROM + " where r.status = ?")
        .params(RevisionRecord.DEPLOYING)
        .query(this::revision)
        .list();
  }

  /** Bumps the app's generation and returns the new one (a fresh reservation key). */
  int nextGeneration(AppRef ref) {
    return jdbc.sql(
            "update app set generation = generation + 1"
                + " where tenant = ? and project = ? and app = ? returning generation")
        .params(ref.tenant(), ref.project(), ref.app())
        .query(Integer.class)
        .single();
  }

  int generation(AppRef ref) {
    return jdbc.sql("select generation from app where tenant = ? and project = ? and app = ?")
        .params(ref.tenant(), ref.project(), ref.app())
        .query(Integer.class)
        .single();
  }

  /** Makes the revision live and retires the one before, in one transaction. */
  @Transactional
  void markLive(AppRef ref, int revision) {
    jdbc.sql(
            "update revision set status = ?, reservation_keys = null"
                + " where tenant = ? and project = ? and app = ? and status = ?")
        .params(RevisionRecord.RETIRED, ref.tenant(), ref.project(), ref.app(), RevisionRecord.LIVE)
        .update();
    finish(ref, revision, RevisionRecord.LIVE, null);
    jdbc.sql(
            "update revision set live_at = now()"
                + " where tenant = ? and project = ? and app = ? and revision = ?")
        .params(ref.tenant(), ref.project(), ref.app(), revision)
        .update();
    jdbc.sql("update app set live_revision = ? where tenant = ? and project = ? and app = ?")
        .params(revision, ref.tenant(), ref.project(), ref.app())
        .update();
  }

  void markFailed(AppRef ref, int revision, String reason) {
    finish(ref, revision, RevisionRecord.FAILED, reason);
    jdbc.sql(
            "update revision set reservation_keys = null"
                + " where tenant = ? and project = ? and app = ? and revision = ?")
        .params(ref.tenant(), ref.project(), ref.app(), revision)
        .update();
  }

  private void finish(AppRef ref, int revision, String status, String reason) {
    jdbc.sql(
            "update revision set status = ?, reason = ?, finished_at = now()"
                + " where tenant = ? and project = ? and app = ? and revision = ?")
        .params(status, reason, ref.tenant(), ref.project(), ref.app(), revision)
        .update();
  }

  /**
   * New counts for the live revision (its web replicas and process types as {@code scaled} says),
   * held by these reservations.
   */
  @Transactional
  void scaled(AppSpec scaled, List<String> reservationKeys) {
    AppRef ref = scaled.ref();
    jdbc.sql(
            "update revision set replicas = ?, processes = ?::jsonb, reservation_keys = ?"
                + " where tenant = ? and project = ? and app = ? and revision = ?")
        .params(
            scaled.replicas(),
            JSON.writeValueAsString(scaled.processes()),
            joined(reservationKeys),
            ref.tenant(),
            ref.project(),
            ref.app(),
            scaled.revision())
        .update();
    jdbc.sql(
            "update app set generation = generation + 1"
                + " where tenant = ? and project = ? and app = ?")
        .params(ref.tenant(), ref.project(), ref.app())
        .update();
  }

  static AppRef ref(ResultSet rs) throws SQLException {
    return new AppRef(
        rs.getString("tenant"),
        rs.getString("project"),
        rs.getString("app"),
        rs.getString("tenant_id"),
        rs.getString("project_id"),
        rs.getString("app_id"),
        rs.getString("host_label"));
  }

  private static List<String> keys(String joined) {
    return joined == null || joined.isBlank() ? List.of() : List.of(joined.split(" "));
  }

  private static String joined(List<String> keys) {
    return keys.isEmpty() ? null : String.join(" ", keys);
  }

  private RevisionRecord revision(ResultSet rs, int row) throws SQLException {
    Map<String, String> env = JSON.readValue(rs.getString("env"), new TypeReference<>() {});
    AppRef ref = ref(rs);
    String sealed = rs.getString("secrets");
    Map<String, String> secrets =
        sealed == null
            ? Map.of()
            : JSON.readValue(box.open(sealed, ref.toString()), new TypeReference<>() {});
    AppSpec spec =
        new AppSpec(
            ref,
            rs.getInt("revision"),
            rs.getString("image"),
            rs.getString("digest"),
            rs.getInt("replicas"),
            rs.getInt("port"),
            env,
            rs.getInt("cpu_millicores"),
            rs.getInt("memory_mib"),
            rs.getString("health_path"),
            rs.getLong("run_as_user"),
            rs.getBoolean("read_only_root"),
            secrets,
            JSON.<Map<String, ProcessSpec>>readValue(
                rs.getString("processes"), new TypeReference<>() {}));
    Timestamp finished = rs.getTimestamp("finished_at");
    Timestamp live = rs.getTimestamp("live_at");
    List<RolloutResult.Stage> stages =
        JSON.readValue(rs.getString("stages"), new TypeReference<>() {});
    return new RevisionRecord(
        spec,
        rs.getString("build_id"),
        rs.getObject("build_number", Integer.class),
        rs.getString("commit_id"),
        rs.getString("status"),
        rs.getString("reason"),
        keys(rs.getString("reservation_keys")),
        rs.getTimestamp("created_at").toInstant(),
        finished == null ? null : finished.toInstant(),
        live == null ? null : live.toInstant(),
        stages,
        rs.getBoolean("pinned"),
        rs.getTimestamp("image_removed_at") != null);
  }
}
