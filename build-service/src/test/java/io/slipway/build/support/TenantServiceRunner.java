package io.slipway.build.support;

import io.slipway.tenant.TenantServiceApplication;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPostgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real tenant-service, started once per test JVM in-process on a random port and its own
 * PostgreSQL database, trusting the test run's Keycloak.
 */
public final class TenantServiceRunner {

  private static ConfigurableApplicationContext context;

  private TenantServiceRunner() {}

  /** Its base URL, e.g. {@code http://127.0.0.1:41234}. */
  public static synchronized String url() {
    if (context == null) {
      String database = TestPostgres.newDatabase();
      context =
          new SpringApplicationBuilder(TenantServiceApplication.class)
              // build-service's application.yaml shadows tenant-service's on this classpath:
              // read neither and pass what tenant-service needs.
              .properties(
                  "spring.config.name=tenant-service-under-test",
                  "spring.application.name=tenant-service",
                  "server.port=0",
                  "server.address=127.0.0.1",
                  "spring.datasource.url=" + database,
                  "spring.datasource.username=postgres",
                  "spring.datasource.password=postgres",
                  "spring.jpa.open-in-view=false",
                  "spring.jpa.hibernate.ddl-auto=validate",
                  "spring.flyway.locations=classpath:db/migration",
                  "spring.mvc.problemdetails.enabled=true",
                  "spring.threads.virtual.enabled=true",
                  "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + TestKeycloak.issuer(),
                  "spring.security.oauth2.resourceserver.jwt.audiences=slipway")
              .run();
      Runtime.getRuntime().addShutdownHook(new Thread(context::close));
    }
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return "http://127.0.0.1:" + port;
  }
}
