package io.slipway.build.sandbox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Each tenant's sandbox number, allocated on its first build and kept (never reused). */
@Component
class SandboxTenants {

  private final JdbcClient jdbc;

  SandboxTenants(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional
  long number(String tenant) {
    jdbc.sql("insert into build_sandbox_tenant (tenant) values (?) on conflict (tenant) do nothing")
        .param(tenant)
        .update();
    return jdbc.sql("select number from build_sandbox_tenant where tenant = ?")
        .param(tenant)
        .query(Long.class)
        .single();
  }
}
