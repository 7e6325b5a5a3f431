package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code cron}: the app's cron entries, one row each with its newest firing. */
class CronCommandTest extends LoggedInCommandTest {

  private static final String CRON = "GET /api/v1/tenants/acme/projects/web/apps/site/cron";

  @Test
  void eachEntryIsARowWithItsNextAndLastRun() {
    service.answer(CRON, 200, cron(false));

    Run.Result result = cli.run("cron", "-t", "acme", "-p", "web", "-a", "site");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out().lines().toList())
        .hasSize(3)
        .satisfies(
            lines -> {
              assertThat(lines.get(0))
                  .containsSubsequence(
                      "ID",
                      "SCHEDULE",
                      "COMMAND",
                      "NEXT_RUN_AT",
                      "LAST_DUE_AT",
                      "LAST_STATUS",
                      "LAST_EXIT_CODE");
              assertThat(lines.get(1))
                  .containsSubsequence(
                      "c7f95ddb971c",
                      "*/10 * * * *",
                      "./report",
                      "2026-01-01T00:10:00Z",
                      "2026-01-01T00:00:00Z",
                      "failed",
                      "3");
              assertThat(lines.get(2)).containsSubsequence("0a1b2c3d4e5f", "@daily", "./prune");
            });
  }

  @Test
  void aStoppedAppSaysSoInsteadOfANextRun() {
    service.answer(CRON, 200, cron(true));

    Run.Result result = cli.run("cron", "-t", "acme", "-p", "web", "-a", "site");

    assertThat(result.out().lines().skip(1).toList()).allMatch(line -> line.contains("(stopped)"));
  }

  @Test
  void anAppOfAnotherTenantIsNotFound() {
    service.problem(CRON, 404, "not-found", "App acme/web/site not found");

    assertThat(cli.run("cron", "-t", "acme", "-p", "web", "-a", "site").code()).isEqualTo(5);
  }

  private static String cron(boolean stopped) {
    return "{\"revision\":2,\"stopped\":"
        + stopped
        + ",\"timeZone\":\"UTC\",\"entries\":["
        + "{\"id\":\"c7f95ddb971c\",\"schedule\":\"*/10 * * * *\",\"command\":\"./report\","
        + "\"nextRunAt\":"
        + (stopped ? "null" : "\"2026-01-01T00:10:00Z\"")
        + ",\"lastRuns\":[{\"dueAt\":\"2026-01-01T00:00:00Z\",\"status\":\"failed\","
        + "\"runId\":\"abcdefgh2345\",\"exitCode\":3,\"startedAt\":\"2026-01-01T00:00:01Z\","
        + "\"durationMs\":40,\"reason\":null}]},"
        + "{\"id\":\"0a1b2c3d4e5f\",\"schedule\":\"@daily\",\"command\":\"./prune\","
        + "\"nextRunAt\":"
        + (stopped ? "null" : "\"2026-01-02T00:00:00Z\"")
        + ",\"lastRuns\":[]}]}";
  }
}
