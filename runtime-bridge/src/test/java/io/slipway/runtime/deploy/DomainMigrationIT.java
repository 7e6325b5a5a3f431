package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The migration to proofs of ownership on a database that already has custom domains: they stay,
 * pending, each with a token of its own, and from then on a domain can be verified by one app only
 * while several may claim it.
 */
class DomainMigrationIT {

  @Test
  void domainsClaimedBeforeProofsExistedBecomePendingWithTheirOwnTokens() throws SQLException {
    String url = TestPostgres.newDatabase();
    Flyway.configure()
        .dataSource(url, "postgres", "postgres")
        .locations("classpath:runtime-db/migration")
        .target("60")
        .load()
        .migrate();
    try (Connection db = DriverManager.getConnection(url, "postgres", "postgres");
        Statement sql = db.createStatement()) {
      sql.execute(
          "insert into app (tenant, project, app) values ('a', 'web', 'site'), ('b', 'web', 'site')");
      sql.execute(
          "insert into domain (domain, tenant, project, app) values"
              + " ('one.example.com', 'a', 'web', 'site'), ('two.example.com', 'a', 'web', 'site')");

      Flyway.configure()
          .dataSource(url, "postgres", "postgres")
          .locations("classpath:runtime-db/migration")
          .load()
          .migrate();

      Set<String> tokens = new HashSet<>();
      try (ResultSet rows = sql.executeQuery("select state, token from domain")) {
        while (rows.next()) {
          assertThat(rows.getString("state")).isEqualTo("pending");
          assertThat(rows.getString("token")).hasSize(64).matches("[0-9a-f]+");
          tokens.add(rows.getString("token"));
        }
      }
      assertThat(tokens).hasSize(2);

      // another app may claim the same domain; only one may hold it verified
      sql.execute(
          "insert into domain (domain, tenant, project, app, token)"
              + " values ('one.example.com', 'b', 'web', 'site', 'tb')");
      sql.execute(
          "update domain set state = 'verified' where domain = 'one.example.com' and tenant = 'a'");
      assertThatThrownBy(
              () ->
                  sql.execute(
                      "update domain set state = 'verified'"
                          + " where domain = 'one.example.com' and tenant = 'b'"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("domain_verified_once");
    }
  }
}
