package io.slipway.build.queue;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The persistent build queue in PostgreSQL. Builds are numbered per app (1, 2, ...): the number is
 * assigned under a transaction-scoped advisory lock on the app, so concurrent pushes never collide.
 */
@Component
public class BuildQueue {

  static final String COLUMNS =
      "id, tenant, project, app, tenant_id, project_id, app_id, source_app_id, number, commit_id, ref, pushed_by,"
          + " status, reason, image,"
          + " digest, registry_image, received_at, created_at, started_at, finished_at, build_millis,"
          + " image_millis, deploy_status, deploy_revision, deploy_url, deploy_reason, deployed_at, fork";

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final ReentrantLock arrivalLock = new ReentrantLock();
  private final Condition arrived = arrivalLock.newCondition();
  private long arrivals;

  BuildQueue(JdbcClient jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /** Adds a queued build and returns it. */
  public Build enqueue(BuildRequest request) {
    UUID id = UUID.randomUUID();
    AppRef app = request.app();
    Build build =
        transactions.execute(
            status -> {
              jdbc.sql("select pg_advisory_xact_lock(hashtext(:app))")
                  .param("app", app.toString())
                  .query((rs, n) -> 0)
                  .list();
              jdbc.sql(
                      """
                  insert into build (id, tenant, project, app, tenant_id, project_id, app_id,
                                     source_app_id, number, commit_id, ref, pushed_by, status,
                                     received_at, fork)
                  select :id, :tenant, :project, :app, :tenantId, :projectId, :appId,
                         :sourceAppId,
                         coalesce(max(number), 0) + 1, :commit, :ref, :pushedBy, 'queued',
                         :receivedAt, :fork
                    from build where tenant = :tenant and project = :project and app = :app
                  """)
                  .param("id", id)
                  .param("tenantId", request.ids().tenantId())
                  .param("projectId", request.ids().projectId())
                  .param("appId", request.ids().appId())
                  .param("sourceAppId", request.source().appId())
                  .param("tenant", app.tenant())
                  .param("project", app.project())
                  .param("app", app.app())
                  .param("commit", request.commitId())
                  .param("ref", request.ref())
                  .param("pushedBy", request.pushedBy())
                  .param("fork", request.fork())
                  .param(
                      "receivedAt", OffsetDateTime.ofInstant(request.receivedAt(), ZoneOffset.UTC))
                  .update();
              return byId(id).orElseThrow();
            });
    signalArrival();
    return build;
  }

  /** How many builds this instance has enqueued so far: pass it to {@link #awaitArrival}. */
  public long arrivals() {
    arrivalLock.lock();
    try {
      return arrivals;
    } finally {
      arrivalLock.unlock();
    }
  }

  /**
   * Waits until a build is enqueued in this instance after {@code seen} ({@link #arrivals()} read
   * before the last {@link #claim()}), or {@code timeout} passed: an idle worker starts a push's
   * build at once instead of at its next poll. Builds enqueued by other instances are found by
   * polling.
   */
  public void awaitArrival(long seen, Duration timeout) throws InterruptedException {
    arrivalLock.lock();
    try {
      long nanos = timeout.toNanos();
      while (arrivals == seen && nanos > 0) {
        nanos = arrived.awaitNanos(nanos);
      }
    } finally {
      arrivalLock.unlock();
    }
  }

  private void signalArrival() {
    arrivalLock.lock();
    try {
      arrivals++;
      arrived.signalAll();
    } finally {
      arrivalLock.unlock();
    }
  }

  /**
   * Claims the next build to run and marks it running, or returns empty. Fair between tenants: the
   * tenant whose latest build started longest ago (or never) goes first, and within a tenant the
   * oldest push; {@code skip locked} lets several workers and instances claim at once.
   */
  public Optional<Build> claim() {
    return jdbc.sql(
            """
            update build set status = 'running', started_at = now(), reason = null
             where id = (select b.id from build b
                          where b.status = 'queued' and b.not_before <= now()
                          order by (select max(r.started_at) from build r
                                     where r.tenant = b.tenant) asc nulls first,
                                   b.created_at
                          limit 1
                          for update skip locked)
            returning id
            """)
        .query(UUID.class)
        .optional()
        .flatMap(this::byId);
  }

  /** Puts a claimed build back in the queue with the reason it waits, to be retried later. */
  public void requeue(UUID id, String reason, Duration retryAfter) {
    jdbc.sql(
            """
            update build set status = 'queued', started_at = null, reason = :reason,
                   not_before = now() + make_interval(secs => :seconds)
             where id = :id and status = 'running'
            """)
        .param("id", id)
        .param("reason", reason)
        .param("seconds", retryAfter.toMillis() / 1000.0)
        .update();
  }

  /** Appends to a build's log. */
  public void appendLog(UUID id, String text) {
    jdbc.sql("update build set log = log || :text where id = :id")
        .param("id", id)
        .param("text", text)
        .update();
  }

  /**
   * Ends a running build. A succeeded build owes a deploy request from this statement on, until
   * {@link OwedDeploys#settle} (the same statement, so that a crash right after it cannot leave a
   * succeeded build neither deployed nor owed).
   *
   * @return whether the build was still running (false: it was cancelled, or deleted with its app,
   *     meanwhile, and owes nothing)
   */
  public boolean finish(UUID id, boolean succeeded, String reason, String image, String digest) {
    return jdbc.sql(
                """
            update build set status = :status, reason = :reason, image = :image, digest = :digest,
                   finished_at = now(), deploy_pending = :succeeded,
                   deploy_status = case when :succeeded then 'pending' end
             where id = :id and status = 'running'
            """)
            .param("id", id)
            .param("succeeded", succeeded)
            .param("status", succeeded ? "succeeded" : "failed")
            .param("reason", reason)
            .param("image", image)
            .param("digest", digest)
            .update()
        == 1;
  }

  /** A timed stage the worker measures itself. */
  public enum Stage {
    BUILD("build_millis"),
    IMAGE("image_millis");

    private final String column;

    Stage(String column) {
      this.column = column;
    }
  }

  /** Records how long a stage of a build took. */
  public void recordStage(UUID id, Stage stage, long millis) {
    jdbc.sql("update build set " + stage.column + " = :millis where id = :id")
        .param("id", id)
        .param("millis", millis)
        .update();
  }

  /** Records where the build's image was pushed, by digest. */
  public void recordRegistryImage(UUID id, String reference) {
    jdbc.sql("update build set registry_image = :reference where id = :id")
        .param("id", id)
        .param("reference", reference)
        .update();
  }

  /**
   * Cancels a queued or running build: it is {@code cancelled} at once (a worker running it sees
   * that and stops buildah). Empty when the build had already ended.
   */
  public Optional<Build> cancel(UUID id, String by) {
    return jdbc.sql(
            """
            update build set status = 'cancelled', finished_at = now(), reason = :reason
             where id = :id and status in ('queued', 'running')
            returning id
            """)
        .param("id", id)
        .param("reason", "cancelled by " + by)
        .query(UUID.class)
        .optional()
        .flatMap(this::byId);
  }

  /**
   * Whether the build has been cancelled; a build whose row is gone was deleted with its app, which
   * cancels it too.
   */
  public boolean isCancelled(UUID id) {
    return jdbc.sql("select status = 'cancelled' from build where id = :id")
        .param("id", id)
        .query(Boolean.class)
        .optional()
        .orElse(true);
  }

  /**
   * Records that tenant-service deleted the tenant, project or app with this id, before anything of
   * it is removed here ({@link #deleted}). Recording it again changes nothing.
   */
  public void recordDeletion(String id) {
    jdbc.sql("insert into deleted_scope (id) values (:id) on conflict (id) do nothing")
        .param("id", id)
        .update();
  }

  /** Whether the build's tenant, project or app has been deleted (its deletion recorded). */
  public boolean deleted(Build build) {
    return jdbc.sql("select exists (select 1 from deleted_scope where id in (:t, :p, :a))")
        .param("t", build.tenantId())
        .param("p", build.projectId())
        .param("a", build.appId())
        .query(Boolean.class)
        .single();
  }

  /**
   * Marks failed every build left running by an instance that died, and returns them (their
   * reservations are to be released). Called at start-up.
   */
  public List<Build> failInterrupted() {
    return failInterrupted(List.of());
  }

  /** {@link #failInterrupted()} but for the builds {@code resumed}, which stay running. */
  public List<Build> failInterrupted(List<UUID> resumed) {
    String failed =
        """
        update build set status = 'failed', finished_at = now(),
               reason = 'build-service stopped during the build'
         where status = 'running'
        """;
    List<UUID> ids =
        resumed.isEmpty()
            ? jdbc.sql(failed + " returning id").query(UUID.class).list()
            : jdbc.sql(failed + " and id not in (:resumed) returning id")
                .param("resumed", resumed)
                .query(UUID.class)
                .list();
    return ids.stream().map(this::byId).flatMap(Optional::stream).toList();
  }

  /** The builds running now. */
  public List<Build> running() {
    return jdbc
        .sql("select id from build where status = 'running'")
        .query(UUID.class)
        .list()
        .stream()
        .map(this::byId)
        .flatMap(Optional::stream)
        .toList();
  }

  /** The log from character {@code offset} on, and whether the build has ended. */
  public Optional<LogChunk> logSince(AppRef app, int number, int offset) {
    return jdbc.sql(
            """
            select substr(log, :from) as text, status in ('succeeded', 'failed', 'cancelled') as ended
              from build where tenant = :t and project = :p and app = :a and number = :n
            """)
        .param("from", offset + 1)
        .param("t", app.tenant())
        .param("p", app.project())
        .param("a", app.app())
        .param("n", number)
        .query((rs, row) -> new LogChunk(rs.getString("text"), rs.getBoolean("ended")))
        .optional();
  }

  /** A piece of a build log. */
  public record LogChunk(String text, boolean ended) {}

  public Optional<Build> byId(UUID id) {
    return jdbc.sql("select " + COLUMNS + " from build where id = :id")
        .param("id", id)
        .query(BuildQueue::build)
        .optional();
  }

  public Optional<Build> find(AppRef app, int number) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from build where tenant = :t and project = :p and app = :a and number = :n")
        .param("t", app.tenant())
        .param("p", app.project())
        .param("a", app.app())
        .param("n", number)
        .query(BuildQueue::build)
        .optional();
  }

  /** The app's builds, newest first. */
  public List<Build> list(AppRef app, int page, int size) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from build where tenant = :t and project = :p and app = :a"
                + " order by number desc limit :size offset :offset")
        .param("t", app.tenant())
        .param("p", app.project())
        .param("a", app.app())
        .param("size", size)
        .param("offset", (long) page * size)
        .query(BuildQueue::build)
        .list();
  }

  static Build build(ResultSet rs, int row) throws SQLException {
    return new Build(
        rs.getObject("id", UUID.class),
        rs.getString("tenant"),
        rs.getString("project"),
        rs.getString("app"),
        rs.getString("tenant_id"),
        rs.getString("project_id"),
        rs.getString("app_id"),
        rs.getString("source_app_id"),
        rs.getInt("number"),
        rs.getString("commit_id"),
        rs.getString("ref"),
        rs.getString("pushed_by"),
        rs.getString("status"),
        rs.getString("reason"),
        rs.getString("image"),
        rs.getString("digest"),
        rs.getString("registry_image"),
        instant(rs, "received_at"),
        instant(rs, "created_at"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        Build.stages(
            instant(rs, "received_at"),
            instant(rs, "created_at"),
            instant(rs, "started_at"),
            rs.getObject("build_millis", Long.class),
            rs.getObject("image_millis", Long.class)),
        rs.getString("deploy_status") == null
            ? null
            : new Build.Deploy(
                rs.getString("deploy_status"),
                rs.getObject("deploy_revision", Integer.class),
                rs.getString("deploy_url"),
                rs.getString("deploy_reason"),
                instant(rs, "deployed_at")),
        rs.getBoolean("fork"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  public long count(AppRef app) {
    return jdbc.sql("select count(*) from build where tenant = :t and project = :p and app = :a")
        .param("t", app.tenant())
        .param("p", app.project())
        .param("a", app.app())
        .query(Long.class)
        .single();
  }
}
