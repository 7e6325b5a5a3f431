package io.slipway.build.retention;

import io.slipway.build.BuildProperties;
import io.slipway.build.sandbox.BuildSandbox;
import io.slipway.build.sandbox.StaleStores;
import io.slipway.build.usage.StorageUsage;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every {@code slipway.build.retention-interval} each instance removes what is past retention:
 *
 * <ul>
 *   <li>the logs of builds that ended more than {@code slipway.build.log-retention} ago, except
 *       those of each app's newest {@link LogRetention#KEPT} builds ({@link LogRetention}): the
 *       build stays listed with its status, and its log says that it expired;
 *   <li>the build stores no build opened for {@code slipway.build.cache-retention} ({@link
 *       StaleStores}); then the build store of each tenant emptied is measured again, so its
 *       storage usage falls;
 *   <li>in each tenant's build store, the images of its apps' succeeded builds but the newest
 *       {@value #STORE_IMAGES_KEPT} of each app (the host's copies are runtime-bridge's, which
 *       keeps the ones its revisions need), and the layer cache only older builds made (the first
 *       stages of multi-stage builds, failed builds' steps); an image or cache a build has not
 *       finished with is never one of them. Without this a busy tenant's store kept every image it
 *       ever built, and every first stage.
 * </ul>
 *
 * Each log goes in a statement of its own that only a log not yet expired matches, and a store is
 * emptied by renames under a lock: instances passing at once, or a pass killed half-way, leave
 * every build whole, and the next pass finishes the work.
 */
@Component
class BuildRetention {

  private static final Logger log = LoggerFactory.getLogger(BuildRetention.class);

  /** How many of each app's newest succeeded builds keep their image in the tenant's store. */
  static final int STORE_IMAGES_KEPT = 2;

  /** How many logs one statement removes. */
  private static final int BATCH = 200;

  private final JdbcClient jdbc;
  private final LogRetention logs;
  private final Duration cacheRetention;
  private final StaleStores stores;
  private final StorageUsage usage;
  private final BuildSandbox sandbox;
  private final Clock clock;

  @Autowired
  BuildRetention(
      JdbcClient jdbc,
      BuildProperties properties,
      StaleStores stores,
      StorageUsage usage,
      BuildSandbox sandbox) {
    this(jdbc, properties, stores, usage, sandbox, Clock.systemUTC());
  }

  BuildRetention(
      JdbcClient jdbc,
      BuildProperties properties,
      StaleStores stores,
      StorageUsage usage,
      BuildSandbox sandbox,
      Clock clock) {
    this.jdbc = jdbc;
    this.logs = new LogRetention(properties.logRetention());
    this.cacheRetention = properties.cacheRetention();
    this.stores = stores;
    this.usage = usage;
    this.sandbox = sandbox;
    this.clock = clock;
  }

  @Scheduled(
      fixedDelayString = "${slipway.build.retention-interval:1h}",
      initialDelayString = "${slipway.build.retention-interval:1h}")
  void scheduledPass() {
    try {
      pass();
    } catch (RuntimeException e) {
      log.warn(
          "Removing build logs and caches past retention failed; the next pass tries again", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One pass: answers how many logs expired and whose build stores were emptied. */
  Pass pass() throws InterruptedException {
    Instant now = clock.instant();
    int expired = expireLogs(now);
    List<String> emptied = stores.empty(now.minus(cacheRetention));
    // a forks' sandbox is measured with its tenant's
    Map<String, String> names =
        names(emptied.stream().map(BuildSandbox::tenantOf).distinct().toList());
    names.forEach((tenantId, tenant) -> usage.buildStoreChanged(tenant, tenantId));
    if (expired > 0) {
      log.info("Removed the logs of {} builds past retention", expired);
    }
    List<String> pruned = pruneStoreImages(now);
    names(pruned).forEach((tenantId, tenant) -> usage.buildStoreChanged(tenant, tenantId));
    return new Pass(expired, emptied, pruned);
  }

  /** What one pass removed: logs, emptied stores, and the tenants whose stores lost old images. */
  record Pass(int logsExpired, List<String> storesEmptied, List<String> storeImagesPruned) {}

  /**
   * Removes from each tenant's build store what its apps' builds but the kept ones left there (a
   * build is kept while it is among its app's newest {@value #STORE_IMAGES_KEPT}, or its newest
   * {@value #STORE_IMAGES_KEPT} that succeeded, or runs): the images of older succeeded builds (an
   * image name that a kept build also has, the same commit built again, stays), and the layer cache
   * no kept build made ({@link StoreCache}: the first stages of older multi-stage builds, the steps
   * of older failed ones). The layers a kept build's image or cache is made of stay, so its app's
   * next build is as warm as before. Each build done with (or found done: a pass killed before it
   * recorded it) is marked, so the next pass asks only tenants with new ones. Answers the tenants
   * whose store lost an image.
   */
  private List<String> pruneStoreImages(Instant now) throws InterruptedException {
    Map<String, TenantBuilds> tenants = new LinkedHashMap<>();
    jdbc.sql(
            """
            select tenant_id, id, status, image, started_at, finished_at, kept,
                   store_image_pruned_at is null from (
              select tenant_id, id, status, image, started_at, finished_at, store_image_pruned_at,
                     row_number() over (partition by tenant_id, project, app order by number desc)
                       <= :kept
                     or status = 'running'
                     or (status = 'succeeded'
                         and row_number() over (partition by tenant_id, project, app,
                                                status = 'succeeded' order by number desc)
                           <= :kept) as kept
                from build
               where tenant_id is not null) b
             where kept
                or (store_image_pruned_at is null
                    and status in ('succeeded', 'failed', 'cancelled'))
            """)
        .param("kept", STORE_IMAGES_KEPT)
        .query(
            rs -> {
              TenantBuilds tenant =
                  tenants.computeIfAbsent(rs.getString(1), t -> new TenantBuilds());
              boolean succeeded = "succeeded".equals(rs.getString(3));
              String image = succeeded ? rs.getString(4) : null;
              if (rs.getBoolean(7)) {
                if (image != null) {
                  tenant.keptNames.add(image);
                }
                Timestamp started = rs.getTimestamp(5);
                Timestamp finished = rs.getTimestamp(6);
                if (started != null) {
                  tenant.keptSpans.add(
                      new StoreCache.Span(
                          started.toInstant(), finished == null ? null : finished.toInstant()));
                }
              } else if (rs.getBoolean(8)) {
                tenant.done.add(rs.getObject(2, UUID.class));
                if (image != null) {
                  tenant.retiredNames.add(image);
                }
              }
            });
    List<String> pruned = new ArrayList<>();
    for (Map.Entry<String, TenantBuilds> entry : tenants.entrySet()) {
      TenantBuilds tenant = entry.getValue();
      if (tenant.done.isEmpty()) {
        continue;
      }
      String tenantId = entry.getKey();
      try {
        if (prune(tenantId, tenant, now)) {
          pruned.add(tenantId);
        }
        for (int from = 0; from < tenant.done.size(); from += BATCH) {
          jdbc.sql("update build set store_image_pruned_at = now() where id in (:ids)")
              .param("ids", tenant.done.subList(from, Math.min(tenant.done.size(), from + BATCH)))
              .update();
        }
      } catch (IOException | RuntimeException e) {
        log.warn("Removing old images from tenant {}'s build store failed", tenantId, e);
      }
    }
    if (!pruned.isEmpty()) {
      log.info("Removed old builds' images from the build stores of {} tenants", pruned.size());
    }
    return pruned;
  }

  /** Removes one tenant's old images and cache; answers whether its store lost any. */
  private boolean prune(String tenantId, TenantBuilds tenant, Instant now)
      throws IOException, InterruptedException {
    boolean changed = false;
    Set<String> retired = new TreeSet<>(tenant.retiredNames);
    retired.removeAll(tenant.keptNames);
    if (!retired.isEmpty() && sandbox.storeImages(tenantId).stream().anyMatch(retired::contains)) {
      sandbox.removeStoreImages(tenantId, retired::contains);
      changed = true;
    }
    List<String> stale =
        new StoreCache(tenant.keptSpans, now).stale(sandbox.storeCacheImages(tenantId));
    if (!stale.isEmpty()) {
      sandbox.removeStoreCacheImages(tenantId, stale);
      changed = true;
    }
    return changed;
  }

  /**
   * One tenant's builds as a pass sees them: the image names and run times of its kept builds, and
   * its other finished builds not done with yet, with the names of those that succeeded.
   */
  private static final class TenantBuilds {
    final Set<String> keptNames = new TreeSet<>();
    final List<StoreCache.Span> keptSpans = new ArrayList<>();
    final Set<String> retiredNames = new TreeSet<>();
    final List<UUID> done = new ArrayList<>();
  }

  private int expireLogs(Instant now) {
    Timestamp before = Timestamp.from(now.minus(logs.retention()));
    // the candidates: ended before the retention's start, the log still there; the rule decides
    List<UUID> ids = new ArrayList<>();
    jdbc.sql(
            """
            select b.id, b.number, n.newest, b.status, coalesce(b.finished_at, b.created_at)
              from build b
              join (select tenant, project, app, max(number) as newest from build
                     group by tenant, project, app) n
                on n.tenant = b.tenant and n.project = b.project and n.app = b.app
             where b.log_expired_at is null
               and b.status in ('succeeded', 'failed', 'cancelled')
               and coalesce(b.finished_at, b.created_at) < :before
               and n.newest - b.number >= :kept
            """)
        .param("before", before)
        .param("kept", LogRetention.KEPT)
        .query(
            rs -> {
              LogRetention.Candidate candidate =
                  new LogRetention.Candidate(
                      rs.getInt(2), rs.getInt(3), rs.getString(4), rs.getTimestamp(5).toInstant());
              if (logs.expires(candidate, now)) {
                ids.add(rs.getObject(1, UUID.class));
              }
            });
    int expired = 0;
    for (int from = 0; from < ids.size(); from += BATCH) {
      expired +=
          jdbc.sql(
                  "update build set log = :note, log_expired_at = :now"
                      + " where id in (:ids) and log_expired_at is null")
              .param("note", logs.note())
              .param("now", Timestamp.from(now))
              .param("ids", ids.subList(from, Math.min(ids.size(), from + BATCH)))
              .update();
    }
    return expired;
  }

  /** Each tenant's latest name, by id: what tenant-service's ledger is addressed by. */
  private Map<String, String> names(List<String> tenantIds) {
    Map<String, String> names = new LinkedHashMap<>();
    if (tenantIds.isEmpty()) {
      return names;
    }
    jdbc.sql(
            "select distinct on (tenant_id) tenant_id, tenant from build"
                + " where tenant_id in (:ids) order by tenant_id, created_at desc")
        .param("ids", tenantIds)
        .query(
            rs -> {
              names.put(rs.getString(1), rs.getString(2));
            });
    return names;
  }
}
