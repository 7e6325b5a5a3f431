package io.slipway.build.sandbox;

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
