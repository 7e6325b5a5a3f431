package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each class of failure has its exit code, and the message is the server's problem detail. */
class ExitCodeTest {

  @TempDir Path home;
  private FakeService service;
  private Run cli;

  @BeforeEach
  void start() throws Exception {
    service = new FakeService().answer("GET /api/v1/tenants", 200, "{\"items\":[]}");
    cli =
        new Run(home)
            .env("SLIPWAY_TENANT_URL", service.url())
            .env("SLIPWAY_BUILD_URL", service.url())
            .env("SLIPWAY_RUNTIME_URL", service.url());
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void notLoggedInIsTheAuthCodeWithWhatToDo() {
    Run.Result result = cli.run("tenants", "list");
    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err()).startsWith("error: not logged in: run slipway-cli login");
    assertThat(service.requests).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1} exits {2}")
  @CsvSource({
    "400, malformed-body, 2",
    "422, reserved-name, 2",
    "401, unauthorized, 3",
    "403, forbidden, 4",
    "404, not-found, 5",
    "409, quota-exceeded, 6",
    "409, already-exists, 7",
    "500, internal, 8",
    "503, unavailable, 8"
  })
  void problemDetailsMapToExitCodesWithTheirDetail(int status, String type, int exit) {
    assertThat(cli.run("login", "--token", "slp_test").code()).isZero();
    service.problem("POST /api/v1/tenants/acme/projects", status, type, "The detail for " + type);

    Run.Result result = cli.run("projects", "create", "web", "--tenant", "acme");

    assertThat(result.code()).isEqualTo(exit);
    assertThat(result.err()).startsWith("error: The detail for " + type);
    assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aRefusedTokenSaysSoAndHowToLogInAgain() {
    assertThat(cli.run("login", "--token", "slp_test").code()).isZero();
    service.problem("GET /api/v1/tenants", 401, "unauthorized", "The token was refused");

    Run.Result result = cli.run("whoami");

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err())
        .contains("The token was refused")
        .contains("revoked or expired")
        .contains("every service accepts a valid personal access token")
        .contains("slipway-cli login");
  }

  @Test
  void aServiceThatDoesNotAnswerIsTheServerCode() {
    assertThat(cli.run("login", "--token", "slp_test").code()).isZero();
    service.close();

    Run.Result result = cli.run("tenants", "list");

    assertThat(result.code()).isEqualTo(8);
    assertThat(result.err()).contains("cannot reach tenant-service at " + service.url());
  }

  @Test
  void aLoginWhoseTokenIsRefusedStoresNothing() {
    service.problem("GET /api/v1/tenants", 401, "unauthorized", "Bad token");

    Run.Result result = cli.run("login", "--token", "slp_bad");

    assertThat(result.code()).isEqualTo(3);
    assertThat(home.resolve("config/slipway/credentials.json")).doesNotExist();
    assertThat(home.resolve("config/slipway/servers.json")).doesNotExist();
  }

  @Test
  void aRedirectIsAWrongUrlNamingWhereItPointsAndLoginStoresNothing() {
    service.redirect("GET /api/v1/tenants", 302, "https://elsewhere.example/api/v1/tenants");

    Run.Result result = cli.run("login", "--token", "slp_test");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .contains("tenant-service at " + service.url() + "/api/v1/tenants")
        .contains("302")
        .contains("https://elsewhere.example/api/v1/tenants")
        .contains("give the final URL at login");
    assertThat(home.resolve("config/slipway/credentials.json")).doesNotExist();
    assertThat(home.resolve("config/slipway/servers.json")).doesNotExist();
  }

  @Test
  void anAnswerThatIsNotJsonSaysTheUrlMayBeWrong() {
    assertThat(cli.run("login", "--token", "slp_test").code()).isZero();
    service.text("GET /api/v1/tenants", 200, "text/html", "<html>a portal page</html>");

    Run.Result result = cli.run("tenants", "list");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "error: tenant-service at "
                + service.url()
                + " did not answer JSON; is the URL right?\n");
  }

  @Test
  void aRefusedLoginKeepsTheEarlierLoginAndServers() throws Exception {
    assertThat(cli.run("login", "--token", "slp_good").code()).isZero();
    Path directory = home.resolve("config/slipway");
    String servers = java.nio.file.Files.readString(directory.resolve("servers.json"));
    service.problem("GET /api/v1/tenants", 401, "unauthorized", "Bad token");

    Run.Result result = cli.run("login", "--token", "slp_bad", "--build-url", "http://127.0.0.1:1");

    assertThat(result.code()).isEqualTo(3);
    assertThat(java.nio.file.Files.readString(directory.resolve("credentials.json")))
        .contains("slp_good")
        .doesNotContain("slp_bad");
    assertThat(java.nio.file.Files.readString(directory.resolve("servers.json")))
        .isEqualTo(servers);
  }

  @Test
  void usageErrorsAreCodeTwo() {
    assertThat(cli.run("apps", "lis").code()).isEqualTo(2);
    assertThat(cli.run("scale", "many").code()).isEqualTo(2);
    assertThat(cli.run("apps", "list", "--output", "xml").code()).isEqualTo(2);
    assertThat(cli.run("login", "--token", "slp_test").code()).isZero();
    Run.Result noTenant = cli.run("apps", "list");
    assertThat(noTenant.code()).isEqualTo(2);
    assertThat(noTenant.err()).contains("which tenant? give --tenant");
  }
}
