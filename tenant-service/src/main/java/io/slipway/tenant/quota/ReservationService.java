package io.slipway.tenant.quota;

import io.slipway.kit.problem.Problem;
import io.slipway.kit.tenant.Role;
import io.slipway.tenant.access.Actor;
import io.slipway.tenant.access.TenantAccess;
import io.slipway.tenant.access.TenantRef;
import io.slipway.tenant.audit.AuditLog;
import io.slipway.tenant.catalog.App;
import io.slipway.tenant.catalog.Catalog;
import io.slipway.tenant.catalog.Project;
import io.slipway.tenant.web.PageResponse;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reservations of quota by other services ("2 replicas x 256 MiB for app X"). Each runs in one
 * transaction holding the tenant's quota row lock, so under any concurrency the granted total never
 * exceeds a quota; the idempotency key makes a retried call return the first answer instead of
 * counting twice.
 */
@Service
@Transactional
class ReservationService {

  private static final String COLUMNS =
      "r.idempotency_key, p.name, a.name, r.cpu_millicores, r.memory_mib, r.replicas,"
          + " r.concurrent_builds, r.build_minutes, r.storage_mib, r.period, r.created_at,"
          + " r.created_by, r.released_at, r.activations";
  private static final String FROM =
      " from reservation r left join project p on p.id = r.project_id"
          + " left join app a on a.id = r.app_id";

  private final JdbcClient jdbc;
  private final QuotaStore store;
  private final Catalog catalog;
  private final TenantAccess access;
  private final AuditLog audit;

  ReservationService(
      JdbcClient jdbc, QuotaStore store, Catalog catalog, TenantAccess access, AuditLog audit) {
    this.jdbc = jdbc;
    this.audit = audit;
    this.store = store;
    this.catalog = catalog;
    this.access = access;
  }

  /**
   * The reservation and whether it was made now ({@code false}: a retry answered from the ledger).
   */
  record Outcome(ReservationView reservation, boolean created) {}

  Outcome reserve(Actor actor, String tenant, ReserveRequest request) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    ServiceGrants.requireLedgerAccess(actor);
    Resources amounts = request.amounts().validate(true);
    if (Resources.ZERO.equals(amounts)) {
      throw Problem.invalid("empty-reservation", "A reservation must hold some amount of quota");
    }
    ServiceGrants.checkReservation(actor, amounts);
    Project project = catalog.project(ref, request.project());
    App app = request.app() == null ? null : catalog.app(ref, project, request.app());
    Resources tenantLimits = store.lockTenantQuota(ref.id());

    Optional<ReservationView> existing = find(ref.id(), request.idempotencyKey());
    if (existing.isPresent()) {
      return new Outcome(replay(existing.get(), request, amounts), false);
    }
    Resources projectLimits = store.projectQuota(project.getId());
    admit("tenant '" + tenant + "'", tenantLimits, store.tenantUsage(ref.id()), amounts);
    admit(
        "project '" + tenant + "/" + project.getName() + "'",
        projectLimits,
        store.projectUsage(project.getId()),
        amounts);

    Map<String, Object> params = QuotaStore.paramMap(amounts);
    jdbc.sql(
            """
            insert into reservation (tenant_id, project_id, app_id, idempotency_key,
                cpu_millicores, memory_mib, replicas, concurrent_builds, build_minutes,
                storage_mib, period, created_by)
            values (:tenant, :project, :app, :key, :cpuMillicores, :memoryMib, :replicas,
                :concurrentBuilds, :buildMinutes, :storageMib, :period, :actor)
            """)
        .param("tenant", ref.id())
        .param("project", project.getId())
        .param("app", app == null ? null : app.getId())
        .param("key", request.idempotencyKey())
        .params(params)
        .param("period", QuotaStore.currentPeriod())
        .param("actor", actor.name())
        .update();
    return new Outcome(find(ref.id(), request.idempotencyKey()).orElseThrow(), true);
  }

  /** The ledger key of a measurement: apart from every key a reservation can be made with. */
  static String measuredKey(String key) {
    return "measured:" + key;
  }

  /**
   * Records what a service measured the tenant using now (build-service: its tenant's build store;
   * runtime-bridge: the activations it keeps), replacing its last measurement under {@code key}: an
   * amount held by the tenant, in no project, until the service measures again. It is never refused
   * over quota (it is in use already); reservations after it meet it. Only the service that made it
   * changes it; tenant users never do.
   */
  ReservationView measure(Actor actor, String tenant, String key, Resources measured) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    ServiceGrants.requireLedgerAccess(actor);
    if (!key.matches("[a-z0-9-]{1,60}")) {
      throw Problem.invalid(
          "invalid-request", "A measurement's key is 1 to 60 lowercase letters, digits and -");
    }
    ServiceGrants.checkMeasurement(actor, key, measured);
    Resources amounts = measured.withNullsAsZero().validate(true);
    store.lockTenantQuota(ref.id());
    String ledgerKey = measuredKey(key);
    Optional<ReservationView> existing = find(ref.id(), ledgerKey);
    existing.ifPresent(last -> ServiceGrants.checkRelease(actor, last.createdBy()));
    Map<String, Object> params = QuotaStore.paramMap(amounts);
    jdbc.sql(
            existing.isPresent()
                ? """
                update reservation set cpu_millicores = :cpuMillicores, memory_mib = :memoryMib,
                    replicas = :replicas, concurrent_builds = :concurrentBuilds,
                    build_minutes = :buildMinutes, storage_mib = :storageMib,
                    activations = :activations, period = :period, released_at = null
                where tenant_id = :tenant and idempotency_key = :key
                """
                : """
                insert into reservation (tenant_id, idempotency_key, cpu_millicores, memory_mib,
                    replicas, concurrent_builds, build_minutes, storage_mib, activations, period,
                    created_by)
                values (:tenant, :key, :cpuMillicores, :memoryMib, :replicas, :concurrentBuilds,
                    :buildMinutes, :storageMib, :activations, :period, :actor)
                """)
        .param("tenant", ref.id())
        .param("key", ledgerKey)
        .params(params)
        .param("period", QuotaStore.currentPeriod())
        .param("actor", actor.name())
        .update();
    return find(ref.id(), ledgerKey).orElseThrow();
  }

  /**
   * Releases a reservation; releasing one already released changes nothing. Build minutes stay
   * counted for the month, lowered to {@code buildMinutesUsed} when the caller reports less.
   */
  void release(Actor actor, String tenant, String key, Long buildMinutesUsed) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    ServiceGrants.requireLedgerAccess(actor);
    if (buildMinutesUsed != null && buildMinutesUsed < 0) {
      throw Problem.invalid("invalid-request", "buildMinutesUsed must be 0 or more");
    }
    store.lockTenantQuota(ref.id());
    ReservationView reservation =
        find(ref.id(), key).orElseThrow(() -> Problem.notFound("reservation", tenant + "/" + key));
    ServiceGrants.checkRelease(actor, reservation.createdBy());
    int released =
        jdbc.sql(
                """
            update reservation set released_at = now(),
                build_minutes = least(build_minutes, coalesce(cast(:used as integer), build_minutes))
            where tenant_id = :tenant and idempotency_key = :key and released_at is null
            """)
            .param("used", buildMinutesUsed)
            .param("tenant", ref.id())
            .param("key", key)
            .update();
    if (released > 0) {
      audit.record(
          actor,
          tenant,
          "reservation.released",
          target(tenant, reservation),
          reservation,
          find(ref.id(), key).orElseThrow());
    }
  }

  /** The audit target of a reservation: {@code tenant/project[/app]/key}. */
  private static String target(String tenant, ReservationView reservation) {
    return tenant
        + "/"
        + reservation.project()
        + (reservation.app() == null ? "" : "/" + reservation.app())
        + "/"
        + reservation.idempotencyKey();
  }

  @Transactional(readOnly = true)
  ReservationView get(Actor actor, String tenant, String key) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    ServiceGrants.requireLedgerAccess(actor);
    return find(ref.id(), key)
        .orElseThrow(() -> Problem.notFound("reservation", tenant + "/" + key));
  }

  /** One page of the tenant's ledger, newest first: one access check, one transaction. */
  @Transactional(readOnly = true)
  PageResponse<ReservationView> list(
      Actor actor, String tenant, boolean activeOnly, int page, int size) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    ServiceGrants.requireLedgerAccess(actor);
    List<ReservationView> items =
        jdbc.sql(
                "select "
                    + COLUMNS
                    + FROM
                    + " where r.tenant_id = :tenant and (not :active or r.released_at is null)"
                    + " order by r.id desc limit :size offset :offset")
            .param("tenant", ref.id())
            .param("active", activeOnly)
            .param("size", size)
            .param("offset", (long) page * size)
            .query(ReservationService::view)
            .list();
    long total =
        jdbc.sql(
                "select count(*) from reservation where tenant_id = :tenant"
                    + " and (not :active or released_at is null)")
            .param("tenant", ref.id())
            .param("active", activeOnly)
            .query(Long.class)
            .single();
    return new PageResponse<>(items, page, size, total);
  }

  private Optional<ReservationView> find(long tenantId, String key) {
    return jdbc.sql("select " + COLUMNS + FROM + " where r.tenant_id = ? and r.idempotency_key = ?")
        .param(tenantId)
        .param(key)
        .query(ReservationService::view)
        .optional();
  }

  /** A retry must ask for the same thing; a different request under a used key is a client bug. */
  private static ReservationView replay(
      ReservationView existing, ReserveRequest request, Resources amounts) {
    boolean same =
        existing.amounts().equals(amounts)
            && Objects.equals(existing.project(), request.project())
            && Objects.equals(existing.app(), request.app());
    if (!same) {
      throw Problem.conflict(
              "idempotency-key-reused",
              "Idempotency key '"
                  + request.idempotencyKey()
                  + "' was already used for a different reservation")
          .with("reservation", existing);
    }
    return existing;
  }

  private static void admit(String scope, Resources limits, Resources used, Resources wanted) {
    for (Resource resource : Resource.values()) {
      long requested = wanted.getOrZero(resource);
      Long limit = limits.get(resource);
      if (requested == 0 || limit == null) {
        continue;
      }
      long inUse = used.getOrZero(resource);
      if (inUse + requested > limit) {
        throw resource.exceeded(scope, limit, inUse, requested);
      }
    }
  }

  private static ReservationView view(ResultSet rs, int row) throws SQLException {
    Timestamp released = rs.getTimestamp(13);
    Resources amounts =
        new Resources(
            rs.getLong(4),
            rs.getLong(5),
            0L,
            rs.getLong(6),
            rs.getLong(7),
            rs.getLong(8),
            rs.getLong(9),
            0L,
            rs.getLong(14));
    return new ReservationView(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        amounts,
        rs.getString(10),
        rs.getTimestamp(11).toInstant(),
        rs.getString(12),
        released == null ? null : released.toInstant());
  }

  /** What the API shows of a reservation. */
  record ReservationView(
      String idempotencyKey,
      String project,
      String app,
      Resources amounts,
      String period,
      Instant createdAt,
      String createdBy,
      Instant releasedAt) {}
}
