package io.slipway.runtime.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.governance.policy.ImagePolicy;
import io.slipway.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The move of tenants' image policies from their names to their ids, on a database that has them,
 * and what the store reads afterwards: a policy whose name the bridge's apps tie to one tenant id
 * belongs to that id only (a tenant made again under the name does not get it); one it cannot tie
 * is read by the name until it is saved again, which keeps it by id.
 */
class PolicyMigrationIT {

  private static final String STRICT = "{\"requireSigned\":true,\"maxSeverity\":\"LOW\"}";

  @Test
  void aTenantsPolicyMovesToItsIdAndAnUntiedOneIsReadByNameUntilSaved() {
    DriverManagerDataSource db = new DriverManagerDataSource(TestPostgres.newDatabase());
    Flyway.configure()
        .dataSource(db)
        .locations("classpath:runtime-db/migration")
        .target("86")
        .load()
        .migrate();
    JdbcClient jdbc = JdbcClient.create(db);
    jdbc.sql(
            "insert into app (tenant, project, app, tenant_id, project_id, app_id, host_label)"
                + " values ('acme', 'web', 'site', 'aacmeaaaaaaa', 'apaaaaaaaaaa', 'asaaaaaaaaaa',"
                + " 'site--web--acme')")
        .update();
    for (String scope : new String[] {"*", "acme", "lonely"}) {
      jdbc.sql("insert into image_policy (scope, policy, updated_by) values (?, ?, 'alice')")
          .params(scope, STRICT)
          .update();
    }

    Flyway.configure().dataSource(db).locations("classpath:runtime-db/migration").load().migrate();

    PolicyStore store = new PolicyStore(jdbc);
    assertThat(store.findFloor()).map(ImagePolicy::requireSigned).contains(true);
    // acme's is its id's: a tenant made again as acme (another id) starts without it
    assertThat(store.findTenant("aacmeaaaaaaa", "acme"))
        .map(ImagePolicy::requireSigned)
        .contains(true);
    assertThat(store.findTenant("aotheraaaaaa", "acme")).isEmpty();
    // lonely had no apps here: read by its name, until saved, which keeps it by id
    assertThat(store.findTenant("alonelyaaaaa", "lonely")).isPresent();
    store.saveTenant("alonelyaaaaa", "lonely", ImagePolicy.PERMISSIVE, "bob");
    assertThat(store.findTenant("aotheraaaaaa", "lonely")).isEmpty();
    assertThat(store.findTenant("alonelyaaaaa", "lonely")).contains(ImagePolicy.PERMISSIVE);
    // a deleted tenant's policy and its projects' go
    store.saveProject("aacmeaaaaaaa", "apaaaaaaaaaa", ImagePolicy.PERMISSIVE, "alice");
    store.forgetTenant("aacmeaaaaaaa");
    assertThat(store.findTenant("aacmeaaaaaaa", "acme")).isEmpty();
    assertThat(store.findProject("apaaaaaaaaaa")).isEmpty();
    assertThat(store.findFloor()).isPresent();
  }
}
