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
 *       keeps the ones its revisions need); an image a build has not finished with is never one of
 *       them. Without this a busy tenant's store kept every image it ever built.
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
    Map<String, String> names = names(emptied);
    names.forEach((tenantId, tenant) -> usage.buildStoreChanged(tenant, tenantId));
    if (expired > 0) {
      log.info("Removed the logs of {} builds past retention", expired);
    }
    List<String> pruned = pruneStoreImages();
    names(pruned).forEach((tenantId, tenant) -> usage.buildStoreChanged(tenant, tenantId));
    return new Pass(expired, emptied, pruned);
  }

  /** What one pass removed: logs, emptied stores, and the tenants whose stores lost old images. */
  record Pass(int logsExpired, List<String> storesEmptied, List<String> storeImagesPruned) {}

  /**
   * Removes from each tenant's build store the images of its apps' older succeeded builds (all but
   * each app's newest {@link #STORE_IMAGES_KEPT}) not removed yet; an image name that a kept build
   * also has (the same commit built again) stays. Each build whose image went (or was already gone:
   * a pass killed before recording it) is marked, so the next pass asks only tenants with new ones.
   * Answers the tenants whose store lost an image.
   */
  private List<String> pruneStoreImages() throws InterruptedException {
    Map<String, Set<String>> kept = new LinkedHashMap<>();
    Map<String, Map<String, List<UUID>>> older = new LinkedHashMap<>();
    jdbc.sql(
            """
            select tenant_id, image, id, store_image_pruned_at is null, place from (
              select tenant_id, image, id, store_image_pruned_at,
                     row_number() over (partition by tenant_id, project, app order by number desc)
                       as place
                from build
               where status = 'succeeded' and image is not null and tenant_id is not null) b
             where place <= :kept or store_image_pruned_at is null
            """)
        .param("kept", STORE_IMAGES_KEPT)
        .query(
            rs -> {
              String tenant = rs.getString(1);
              if (rs.getInt(5) <= STORE_IMAGES_KEPT) {
                kept.computeIfAbsent(tenant, t -> new TreeSet<>()).add(rs.getString(2));
              } else if (rs.getBoolean(4)) {
                older
                    .computeIfAbsent(tenant, t -> new LinkedHashMap<>())
                    .computeIfAbsent(rs.getString(2), i -> new ArrayList<>())
                    .add(rs.getObject(3, UUID.class));
              }
            });
    List<String> pruned = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<UUID>>> tenant : older.entrySet()) {
      Set<String> retired = new TreeSet<>(tenant.getValue().keySet());
      retired.removeAll(kept.getOrDefault(tenant.getKey(), Set.of()));
      try {
        if (!retired.isEmpty()
            && sandbox.storeImages(tenant.getKey()).stream().anyMatch(retired::contains)) {
          sandbox.removeStoreImages(tenant.getKey(), retired::contains);
          pruned.add(tenant.getKey());
        }
        // the kept names' older builds too: their image stays for the newer build that has it
        List<UUID> done = tenant.getValue().values().stream().flatMap(List::stream).toList();
        for (int from = 0; from < done.size(); from += BATCH) {
          jdbc.sql("update build set store_image_pruned_at = now() where id in (:ids)")
              .param("ids", done.subList(from, Math.min(done.size(), from + BATCH)))
              .update();
        }
      } catch (IOException | RuntimeException e) {
        log.warn("Removing old images from tenant {}'s build store failed", tenant.getKey(), e);
      }
    }
    if (!pruned.isEmpty()) {
      log.info("Removed old builds' images from the build stores of {} tenants", pruned.size());
    }
    return pruned;
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
