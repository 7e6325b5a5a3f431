package io.slipway.runtime.deploy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Serialises the short work of accepting a change to one app (numbering its next revision,
 * reserving its compute, recording it) across every replica, without waiting for a rollout under
 * way: a PostgreSQL session advisory lock on a connection of its own, held for the accept only. A
 * replica that dies loses its connection and with it the lock. Within a replica, one thread per app
 * asks for it at a time, so waiting accepts hold no connection of the pool.
 */
@Component
class AcceptLocks {

  /** The advisory locks' first key: this kind of lock, apart from any other's. */
  private static final int KIND = 81;

  private final DataSource dataSource;
  private final Map<String, ReentrantLock> local = new ConcurrentHashMap<>();

  AcceptLocks(DataSource dataSource) {
    this.dataSource = dataSource;
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
