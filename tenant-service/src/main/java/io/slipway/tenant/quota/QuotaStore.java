package io.slipway.tenant.quota;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for quotas and the usage ledger. Usage is always computed from the ledger (never a counter
 * that could drift): held resources sum the active reservations, build minutes sum the month's
 * reservations, apps and previews count the catalog.
 */
@Repository
class QuotaStore {

  private static final List<Resource> STORED =
      Arrays.stream(Resource.values()).filter(r -> !r.counted()).toList();
  private static final String ALL_COLUMNS =
      Arrays.stream(Resource.values()).map(r -> r.column).collect(Collectors.joining(", "));
  private static final String USAGE_SUMS =
      STORED.stream()
          .map(
              r ->
                  r.held()
                      ? "coalesce(sum(" + r.column + ") filter (where released_at is null), 0)"
                      : "coalesce(sum(" + r.column + ") filter (where period = :period), 0)")
          .collect(Collectors.joining(", "));

  /** The apps and the previews among rows of the app table, as columns apps and previews. */
  private static final String COUNTS =
      "count(*) filter (where parent_id is null) as apps,"
          + " count(*) filter (where parent_id is not null) as previews";

  private final JdbcClient jdbc;

  QuotaStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  static String currentPeriod() {
    return YearMonth.now(ZoneOffset.UTC).toString();
  }

  void insertTenantQuota(long tenantId, Resources limits) {
    jdbc.sql(
            "insert into tenant_quota (tenant_id, "
                + ALL_COLUMNS
                + ") values (:tenant, "
                + params()
                + ")")
        .param("tenant", tenantId)
        .params(paramMap(limits))
        .update();
  }

  /** The tenant's limits, locking its quota row until the transaction ends. */
  Resources lockTenantQuota(long tenantId) {
    return jdbc.sql("select " + ALL_COLUMNS + " from tenant_quota where tenant_id = ? for update")
        .param(tenantId)
        .query((rs, row) -> resources(rs, 1))
        .single();
  }

  Resources tenantQuota(long tenantId) {
    return jdbc.sql("select " + ALL_COLUMNS + " from tenant_quota where tenant_id = ?")
        .param(tenantId)
        .query((rs, row) -> resources(rs, 1))
        .single();
  }

  void updateTenantQuota(long tenantId, Resources limits) {
    jdbc.sql("update tenant_quota set " + assignments() + " where tenant_id = :tenant")
        .param("tenant", tenantId)
        .params(paramMap(limits))
        .update();
  }

  /** A project's own limits; every member null when none are set. */
  Resources projectQuota(long projectId) {
    return jdbc.sql("select " + ALL_COLUMNS + " from project_quota where project_id = ?")
        .param(projectId)
        .query((rs, row) -> resources(rs, 1))
        .optional()
        .orElse(Resources.of(resource -> null));
  }

  Map<Long, Resources> projectQuotas(long tenantId) {
    Map<Long, Resources> quotas = new HashMap<>();
    jdbc.sql(
            "select q.project_id, "
                + prefixed("q")
                + " from project_quota q join project p on p.id = q.project_id"
                + " where p.tenant_id = ?")
        .param(tenantId)
        .query(
            rs -> {
              quotas.put(rs.getLong(1), resources(rs, 2));
            });
    return quotas;
  }

  void upsertProjectQuota(long projectId, Resources limits) {
    jdbc.sql(
            "insert into project_quota (project_id, "
                + ALL_COLUMNS
                + ") values (:project, "
                + params()
                + ") on conflict (project_id) do update set "
                + Arrays.stream(Resource.values())
                    .map(r -> r.column + " = excluded." + r.column)
                    .collect(Collectors.joining(", ")))
        .param("project", projectId)
        .params(paramMap(limits))
        .update();
  }

  /**
   * The tenant's standing measurements ({@code measured-usage}), by key without its ledger prefix,
   * in key order: the parts of its storage usage that services measured on disk, and its kept
   * activations.
   */
  List<Measurement> measurements(long tenantId) {
    String prefix = ReservationService.measuredKey("");
    return jdbc.sql(
            "select substr(idempotency_key, :from), storage_mib, activations from reservation"
                + " where tenant_id = :tenant and released_at is null"
                + " and idempotency_key like :pattern order by idempotency_key")
        .param("from", prefix.length() + 1)
        .param("tenant", tenantId)
        .param("pattern", prefix + "%")
        .query((rs, row) -> new Measurement(rs.getString(1), rs.getLong(2), rs.getLong(3)))
        .list();
  }

  /**
   * One service's measurement under its key: what the tenant stores, in MiB, or the activations it
   * keeps.
   */
  record Measurement(String key, long storageMib, long activations) {}

  Resources tenantUsage(long tenantId) {
    Resources sums =
        jdbc.sql(
                "select "
                    + USAGE_SUMS
                    + " from reservation where tenant_id = :tenant"
                    + " and (released_at is null or period = :period)")
            .param("tenant", tenantId)
            .param("period", currentPeriod())
            .query((rs, row) -> ledgerSums(rs, 1))
            .single();
    Counts counts =
        jdbc.sql("select " + COUNTS + " from app where tenant_id = ?")
            .param(tenantId)
            .query((rs, row) -> new Counts(rs.getLong(1), rs.getLong(2)))
            .single();
    return withCounts(sums, counts);
  }

  Resources projectUsage(long projectId) {
    Resources sums =
        jdbc.sql(
                "select "
                    + USAGE_SUMS
                    + " from reservation where project_id = :project"
                    + " and (released_at is null or period = :period)")
            .param("project", projectId)
            .param("period", currentPeriod())
            .query((rs, row) -> ledgerSums(rs, 1))
            .single();
    Counts counts =
        jdbc.sql("select " + COUNTS + " from app where project_id = ?")
            .param(projectId)
            .query((rs, row) -> new Counts(rs.getLong(1), rs.getLong(2)))
            .single();
    return withCounts(sums, counts);
  }

  /** Usage of each of the given projects (absent projects use nothing). */
  Map<Long, Resources> projectUsages(long tenantId, Collection<Long> projectIds) {
    Map<Long, Resources> usage = new HashMap<>();
    if (projectIds.isEmpty()) {
      return usage;
    }
    Map<Long, Counts> counts = new HashMap<>();
    jdbc.sql(
            "select project_id, "
                + COUNTS
                + " from app where tenant_id = :tenant"
                + " and project_id in (:ids) group by project_id")
        .param("tenant", tenantId)
        .param("ids", projectIds)
        .query(
            rs -> {
              counts.put(rs.getLong(1), new Counts(rs.getLong(2), rs.getLong(3)));
            });
    jdbc.sql(
            "select project_id, "
                + USAGE_SUMS
                + " from reservation where tenant_id = :tenant and project_id in (:ids)"
                + " and (released_at is null or period = :period) group by project_id")
        .param("tenant", tenantId)
        .param("ids", projectIds)
        .param("period", currentPeriod())
        .query(
            rs -> {
              usage.put(rs.getLong(1), ledgerSums(rs, 2));
            });
    for (Long id : projectIds) {
      usage.put(
          id,
          withCounts(usage.getOrDefault(id, Resources.ZERO), counts.getOrDefault(id, Counts.NONE)));
    }
    return usage;
  }

  /** A tenant as the sorted overview lists it. */
  record TenantName(long id, String name, String displayName) {}

  /**
   * One page of tenants whose name or display name contains {@code search} (any case), ordered by
   * usage or overages, computed in the database so that thousands of tenants page quickly.
   */
  List<TenantName> tenantsOrdered(String search, TenantOrder order, long offset, int limit) {
    String usageColumns =
        STORED.stream()
            .map(
                r ->
                    (r.held()
                            ? "coalesce(sum("
                                + r.column
                                + ") filter (where released_at is null), 0)"
                            : "coalesce(sum(" + r.column + ") filter (where period = :period), 0)")
                        + " as "
                        + r.column)
            .collect(Collectors.joining(", "));
    String key =
        order.resource() != null
            ? used(order.resource())
            : Arrays.stream(Resource.values())
                .map(r -> "(case when " + used(r) + " > q." + r.column + " then 1 else 0 end)")
                .collect(Collectors.joining(" + ", "(", ")"));
    return jdbc.sql(
            "with u as (select tenant_id, "
                + usageColumns
                + " from reservation where released_at is null or period = :period"
                + " group by tenant_id),"
                + " a as (select tenant_id, "
                + COUNTS
                + " from app group by tenant_id)"
                + " select t.id, t.name, t.display_name from tenant t"
                + " join tenant_quota q on q.tenant_id = t.id"
                + " left join u on u.tenant_id = t.id left join a on a.tenant_id = t.id"
                + SEARCH
                + " order by "
                + key
                + (order.descending() ? " desc" : " asc")
                + ", t.name limit :limit offset :offset")
        .param("period", currentPeriod())
        .param("search", search)
        .param("pattern", likePattern(search))
        .param("limit", limit)
        .param("offset", offset)
        .query((rs, row) -> new TenantName(rs.getLong(1), rs.getString(2), rs.getString(3)))
        .list();
  }

  long countTenants(String search) {
    return jdbc.sql("select count(*) from tenant t" + SEARCH)
        .param("search", search)
        .param("pattern", likePattern(search))
        .query(Long.class)
        .single();
  }

  private static final String SEARCH =
      " where (:search = '' or lower(t.name) like :pattern escape '\\'"
          + " or lower(t.display_name) like :pattern escape '\\')";

  private static String likePattern(String search) {
    return "%"
        + search
            .toLowerCase(java.util.Locale.ROOT)
            .replace("\\", "\\\\")
            .replace("%", "\\%")
            .replace("_", "\\_")
        + "%";
  }

  private static String used(Resource r) {
    return (r.counted() ? "coalesce(a." : "coalesce(u.") + r.column + ", 0)";
  }

  /** Limits and usage of each of the given tenants, for the admin overview: three queries. */
  Map<Long, LimitsAndUsage> tenantOverview(Collection<Long> tenantIds) {
    Map<Long, LimitsAndUsage> overview = new HashMap<>();
    if (tenantIds.isEmpty()) {
      return overview;
    }
    Map<Long, Resources> limits = new HashMap<>();
    jdbc.sql("select tenant_id, " + ALL_COLUMNS + " from tenant_quota where tenant_id in (:ids)")
        .param("ids", tenantIds)
        .query(
            rs -> {
              limits.put(rs.getLong(1), resources(rs, 2));
            });
    Map<Long, Counts> counts = new HashMap<>();
    jdbc.sql(
            "select tenant_id, "
                + COUNTS
                + " from app where tenant_id in (:ids) group by tenant_id")
        .param("ids", tenantIds)
        .query(
            rs -> {
              counts.put(rs.getLong(1), new Counts(rs.getLong(2), rs.getLong(3)));
            });
    Map<Long, Resources> sums = new HashMap<>();
    jdbc.sql(
            "select tenant_id, "
                + USAGE_SUMS
                + " from reservation where tenant_id in (:ids)"
                + " and (released_at is null or period = :period) group by tenant_id")
        .param("ids", tenantIds)
        .param("period", currentPeriod())
        .query(
            rs -> {
              sums.put(rs.getLong(1), ledgerSums(rs, 2));
            });
    for (Long id : tenantIds) {
      Resources used =
          withCounts(sums.getOrDefault(id, Resources.ZERO), counts.getOrDefault(id, Counts.NONE));
      overview.put(id, new LimitsAndUsage(limits.get(id), used));
    }
    return overview;
  }

  /**
   * Held resources at the end of each of the last {@code days} days (UTC; today: now): the
   * reservations active at that instant, summed.
   */
  List<DayUsage> history(long tenantId, int days) {
    return jdbc.sql(
            """
            with days as (
                select d::date as day,
                       least((d + interval '1 day') at time zone 'utc', now()) as instant
                from generate_series((now() at time zone 'utc')::date - (:days - 1),
                                     (now() at time zone 'utc')::date, interval '1 day') d)
            select days.day,
                   coalesce(sum(r.cpu_millicores), 0), coalesce(sum(r.memory_mib), 0),
                   coalesce(sum(r.replicas), 0), coalesce(sum(r.concurrent_builds), 0),
                   coalesce(sum(r.storage_mib), 0)
            from days left join reservation r
              on r.tenant_id = :tenant and r.created_at <= days.instant
             and (r.released_at is null or r.released_at > days.instant)
            group by days.day order by days.day
            """)
        .param("tenant", tenantId)
        .param("days", days)
        .query(
            (rs, row) ->
                new DayUsage(
                    rs.getObject(1, java.time.LocalDate.class),
                    rs.getLong(2),
                    rs.getLong(3),
                    rs.getLong(4),
                    rs.getLong(5),
                    rs.getLong(6)))
        .list();
  }

  /** Held resources at the end of one day. */
  record DayUsage(
      java.time.LocalDate day,
      long cpuMillicores,
      long memoryMib,
      long replicas,
      long concurrentBuilds,
      long storageMib) {}

  String projectName(long projectId) {
    return jdbc.sql("select name from project where id = ?")
        .param(projectId)
        .query(String.class)
        .single();
  }

  private static String params() {
    return Arrays.stream(Resource.values())
        .map(r -> ":" + r.field)
        .collect(Collectors.joining(", "));
  }

  private static String assignments() {
    return Arrays.stream(Resource.values())
        .map(r -> r.column + " = :" + r.field)
        .collect(Collectors.joining(", "));
  }

  private static String prefixed(String alias) {
    return Arrays.stream(Resource.values())
        .map(r -> alias + "." + r.column)
        .collect(Collectors.joining(", "));
  }

  static Map<String, Object> paramMap(Resources amounts) {
    Map<String, Object> params = new HashMap<>();
    for (Resource resource : Resource.values()) {
      params.put(resource.field, amounts.get(resource));
    }
    return params;
  }

  /** Reads the columns of {@link Resource} order starting at {@code first}. */
  static Resources resources(ResultSet rs, int first) throws SQLException {
    Long[] values = new Long[Resource.values().length];
    for (int i = 0; i < values.length; i++) {
      long value = rs.getLong(first + i);
      values[i] = rs.wasNull() ? null : value;
    }
    return Resources.of(resource -> values[resource.ordinal()]);
  }

  private static Resources ledgerSums(ResultSet rs, int first) throws SQLException {
    Map<Resource, Long> sums = new HashMap<>();
    for (int i = 0; i < STORED.size(); i++) {
      sums.put(STORED.get(i), rs.getLong(first + i));
    }
    return Resources.of(resource -> sums.getOrDefault(resource, 0L));
  }

  private static Resources withCounts(Resources sums, Counts counts) {
    return Resources.of(
        resource ->
            switch (resource) {
              case APPS -> counts.apps();
              case PREVIEWS -> counts.previews();
              default -> sums.getOrZero(resource);
            });
  }

  /** What the catalog counts: apps (rows without a parent) and previews (rows with one). */
  record Counts(long apps, long previews) {
    static final Counts NONE = new Counts(0, 0);
  }

  /** A quota and what is used of it. */
  record LimitsAndUsage(Resources limits, Resources used) {}
}
