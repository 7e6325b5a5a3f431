package io.slipway.build.sandbox;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Each tenant's sandbox number, allocated on its first build and kept (never reused). */
@Component
class SandboxTenants {

  private final JdbcClient jdbc;

  SandboxTenants(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The tenant's number, allocated if it has none. Looked up first: an insert takes a number from
   * the identity even when it then meets the tenant's row, and the uid ranges are finite. Two first
   * builds at once both insert; the loser's insert does nothing and the second look-up finds the
   * winner's row.
   */
  long number(String tenant) {
    Optional<Long> known = find(tenant);
    if (known.isPresent()) {
      return known.get();
    }
    jdbc.sql("insert into build_sandbox_tenant (tenant) values (?) on conflict (tenant) do nothing")
        .param(tenant)
        .update();
    return find(tenant).orElseThrow();
  }

  /**
   * The tenant's number, allocated if it has none, with its store marked used now: what {@code
   * slipway.build.cache-retention} counts from. Waits while the store is being emptied (its row is
   * locked then), so the build then finds it empty rather than half-removed.
   */
  long use(String tenant) {
    long number = number(tenant);
    jdbc.sql("update build_sandbox_tenant set used_at = now() where tenant = ?")
        .param(tenant)
        .update();
    return number;
  }

  /** The tenants whose store no build opened since {@code before}, with their numbers. */
  Map<String, Long> unusedSince(Instant before) {
    Map<String, Long> unused = new LinkedHashMap<>();
    jdbc.sql("select tenant, number from build_sandbox_tenant where used_at < ? order by number")
        .param(Timestamp.from(before))
        .query(
            rs -> {
              unused.put(rs.getString(1), rs.getLong(2));
            });
    return unused;
  }

  /**
   * Locks the tenant's row for the caller's transaction if its store is still unused since {@code
   * before} and no other instance holds it: whether it did. A build's {@link #use} then waits for
   * the transaction's end.
   */
  boolean lockUnused(String tenant, Instant before) {
    return jdbc.sql(
            "select 1 from build_sandbox_tenant where tenant = ? and used_at < ?"
                + " for update skip locked")
        .param(tenant)
        .param(Timestamp.from(before))
        .query(Integer.class)
        .optional()
        .isPresent();
  }

  /** The tenant's number, if it has ever had a sandboxed build; allocates none. */
  Optional<Long> find(String tenant) {
    return jdbc.sql("select number from build_sandbox_tenant where tenant = ?")
        .param(tenant)
        .query(Long.class)
        .optional();
  }

  /** Drops a deleted tenant's row; its number is not given again (the identity only goes up). */
  void forget(String tenant) {
    jdbc.sql("delete from build_sandbox_tenant where tenant = ?").param(tenant).update();
  }
}
