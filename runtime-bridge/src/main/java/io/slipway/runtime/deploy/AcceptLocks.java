package io.slipway.runtime.deploy;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.stereotype.Component;

/**
 * Serialises the short work of accepting a change to one app (numbering its next revision,
 * reserving its compute, recording it) across every replica, without waiting for a rollout under
 * way: a PostgreSQL session advisory lock on a connection of its own, held for the accept only. A
 * replica that dies loses its connection and with it the lock. The connections come from a small
 * pool of their own, never the application's: an accept holding one needs others for its work, and
 * accepts of as many apps as the application's pool has connections would otherwise take them all
 * and wait for ever. Within a replica, one thread per app asks for a lock at a time.
 */
@Component
class AcceptLocks implements AutoCloseable {

  /** At most this many apps' accepts hold a lock at once on a replica; others wait their turn. */
  private static final int CONNECTIONS = 4;

  /** The advisory locks' first key: this kind of lock, apart from any other's. */
  private static final int KIND = 81;

  private final HikariDataSource dataSource;
  private final Map<String, ReentrantLock> local = new ConcurrentHashMap<>();

  AcceptLocks(DataSourceProperties database) {
    HikariDataSource pool =
        database.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    pool.setPoolName("accept-locks");
    pool.setMaximumPoolSize(CONNECTIONS);
    pool.setMinimumIdle(0);
    // an accept waits while others hold every lock connection: each holds one for seconds
    pool.setConnectionTimeout(Duration.ofMinutes(2).toMillis());
    this.dataSource = pool;
  }

  @Override
  public void close() {
    dataSource.close();
  }

  /** Runs {@code work} holding the app's accept lock (reentrant within a thread). */
  <T> T holding(String appId, Supplier<T> work) {
    ReentrantLock lock = local.computeIfAbsent(appId, id -> new ReentrantLock());
    lock.lock();
    try {
      if (lock.getHoldCount() > 1) {
        return work.get();
      }
      try (Connection connection = dataSource.getConnection()) {
        call(connection, "select pg_advisory_lock(?, hashtext(?))", appId);
        try {
          return work.get();
        } finally {
          call(connection, "select pg_advisory_unlock(?, hashtext(?))", appId);
        }
      } catch (SQLException e) {
        throw new IllegalStateException("The accept lock of app " + appId + " failed", e);
      }
    } finally {
      lock.unlock();
    }
  }

  private static void call(Connection connection, String sql, String appId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setInt(1, KIND);
      statement.setString(2, appId);
      statement.execute();
    }
  }
}
