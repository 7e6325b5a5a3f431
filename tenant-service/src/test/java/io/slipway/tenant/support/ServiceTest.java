package io.slipway.tenant.support;

import io.slipway.testing.TestPostgres;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole tenant-service on a random port, on a real PostgreSQL database, called over HTTP. Test
 * classes share one application and database; each test uses its own tenant names.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
public abstract class ServiceTest {

  private static final String DATABASE = TestPostgres.newDatabase();

  @LocalServerPort protected int port;

  protected Api api;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> DATABASE);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "postgres");
    registry.add(
        "spring.security.oauth2.resourceserver.jwt.public-key-location",
        TestTokens::publicKeyLocation);
  }

  @BeforeEach
  void client() {
    api = new Api(port);
  }

  /** A name unique to this run, so tests never see each other's tenants. */
  protected static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
