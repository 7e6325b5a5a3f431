package io.slipway.runtime.deploy;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Leases on apps in PostgreSQL, so that of all runtime-bridge replicas (the chart runs 1–20) only
 * one changes an app at a time. A lease is taken atomically (one upsert that succeeds only when the
 * app is free, its lease lapsed, or this replica already holds it), renewed while held, and given
 * back when the work is done; a replica that dies stops renewing, and its leases lapse after {@code
 * ttl}. Within one replica the caller serialises work per app (see {@link Deployments#locked}), so
 * a lease here is taken once per piece of work. Thread-safe.
 */
class AppLeases implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AppLeases.class);

  /** How often a replica waiting for an app looks again. */
  private static final Duration RETRY = Duration.ofMillis(200);

  private final JdbcClient jdbc;
  private final String holder;
  private final Duration ttl;
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService renewer;

  /**
   * @param ttl how long a lease lives without renewal; renewed every third of it
   */
  AppLeases(JdbcClient jdbc, Duration ttl) {
    this.jdbc = jdbc;
    this.holder = UUID.randomUUID().toString();
    this.ttl = ttl;
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("app-lease-renewer").daemon().factory());
    long every = Math.max(1, ttl.toMillis() / 3);
    renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /** This replica's id, as its leases name it. */
  String holder() {
    return holder;
  }

  /** Takes the app's lease when it is free (or lapsed, or already this replica's). */
  boolean tryAcquire(String appId) {
    int taken =
        jdbc.sql(
                """
                insert into app_lease (app_id, holder, expires_at)
                values (:app, :holder, now() + make_interval(secs => :ttl))
                on conflict (app_id) do update
                  set holder = excluded.holder, expires_at = excluded.expires_at
                  where app_lease.expires_at < now() or app_lease.holder = excluded.holder
                """)
            .param("app", appId)
            .param("holder", holder)
            .param("ttl", ttl.toMillis() / 1000.0)
            .update();
    if (taken == 1) {
      held.add(appId);
      return true;
    }
    return false;
  }

  /**
   * Takes the app's lease, waiting while another replica holds it.
   *
   * @throws IllegalStateException when interrupted while waiting
   */
  void acquire(String appId) {
    while (!tryAcquire(appId)) {
      try {
        Thread.sleep(RETRY);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for app " + appId, e);
      }
    }
  }

  /** Gives the app's lease back (only when this replica still holds it). */
  void release(String appId) {
    held.remove(appId);
    jdbc.sql("delete from app_lease where app_id = :app and holder = :holder")
        .param("app", appId)
        .param("holder", holder)
        .update();
  }

  /** Extends every lease this replica holds; one it lost (it lapsed first) is said in the log. */
  private void renew() {
    for (String appId : held) {
      try {
        int renewed =
            jdbc.sql(
                    """
                    update app_lease set expires_at = now() + make_interval(secs => :ttl)
                    where app_id = :app and holder = :holder
                    """)
                .param("app", appId)
                .param("holder", holder)
                .param("ttl", ttl.toMillis() / 1000.0)
                .update();
        if (renewed == 0 && held.contains(appId)) {
          log.error(
              "The lease on app {} lapsed while this replica worked on it: another replica may"
                  + " change it at the same time (was the database unreachable for {} s?)",
              appId,
              ttl.toSeconds());
        }
      } catch (RuntimeException e) {
        log.warn("Could not renew the lease on app {}: {}", appId, e.toString());
      }
    }
  }

  @Override
  public void close() {
    renewer.shutdownNow();
  }
}
