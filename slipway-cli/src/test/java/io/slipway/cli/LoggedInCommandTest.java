package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command's tests against one fake service standing in for all three, with the CLI logged in by a
 * personal access token first.
 */
abstract class LoggedInCommandTest {

  @TempDir Path home;
  FakeService service;
  Run cli;

  @BeforeEach
  void start() throws Exception {
    service = new FakeService().answer("GET /api/v1/tenants", 200, "{\"items\":[]}");
    cli =
        new Run(home)
            .env("SLIPWAY_TENANT_URL", service.url())
            .env("SLIPWAY_BUILD_URL", service.url())
            .env("SLIPWAY_RUNTIME_URL", service.url());
    assertThat(cli.run("login", "--token", "slp_secret").code()).isZero();
  }

  @AfterEach
  void stop() {
    service.close();
  }
}
