package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code activations}: a function's invocations, newest first, all or of one status. */
class ActivationsCommandTest extends LoggedInCommandTest {

  private static final String LIST = "GET /api/v1/tenants/acme/projects/web/apps/hello/activations";
  private static final String FIRST = "acaaaaaaaaaaaaaaaaaaaaaaaaaa";
  private static final String SECOND = "acbbbbbbbbbbbbbbbbbbbbbbbbbb";

  @Test
  void theStatusIsAskedOfTheServiceAndEachActivationIsARowWithTheNextPageNamed() {
    service.answer(LIST, 200, page(SECOND));

    Run.Result result =
        cli.run(
            "activations",
            "-t",
            "acme",
            "-p",
            "web",
            "-a",
            "hello",
            "--status",
            "error",
            "--limit",
            "2");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(service.last().rawPath())
        .isEqualTo("/api/v1/tenants/acme/projects/web/apps/hello/activations?limit=2&status=error");
    assertThat(result.out().lines().toList())
        .hasSize(4)
        .satisfies(
            lines -> {
              assertThat(lines.get(0))
                  .containsSubsequence(
                      "ID", "STARTED_AT", "DURATION_MS", "STATUS", "HTTP_STATUS", "TRIGGER");
              assertThat(lines.get(1))
                  .containsSubsequence(FIRST, "2026-12-07T01:00:02Z", "12", "error", "502", "http");
              assertThat(lines.get(2)).containsSubsequence(SECOND, "error", "cron");
              assertThat(lines.get(3)).isEqualTo("(more: --before " + SECOND + " --status error)");
            });

    // the next page: the filter and the cursor both go to the service
    service.answer(LIST, 200, "{\"activations\":[],\"next\":null}");
    Run.Result next =
        cli.run(
            "activations",
            "-t",
            "acme",
            "-p",
            "web",
            "-a",
            "hello",
            "--status",
            "error",
            "--before",
            SECOND,
            "-o",
            "json");
    assertThat(next.code()).as(next.err()).isZero();
    assertThat(service.last().rawPath())
        .isEqualTo(
            "/api/v1/tenants/acme/projects/web/apps/hello/activations?before="
                + SECOND
                + "&status=error");
    assertThat(next.out()).contains("\"activations\": []");
  }

  @Test
  void anUnknownStatusIsRefusedBeforeAnyRequest() {
    int before = service.requests.size();

    Run.Result result =
        cli.run("activations", "-t", "acme", "-p", "web", "-a", "hello", "--status", "failed");

    assertThat(result.code()).isEqualTo(Exit.USAGE);
    assertThat(result.err()).contains("--status is one of success, error, timeout, not failed");
    assertThat(service.requests).hasSize(before);
  }

  @Test
  void theServicesRefusalOfABadCursorAndAnotherTenantsAppAreItsOwnWords() {
    service.problem(LIST, 400, "invalid-page", "before must be an activation id");
    Run.Result bad =
        cli.run("activations", "-t", "acme", "-p", "web", "-a", "hello", "--before", "x");
    assertThat(bad.code()).isEqualTo(Exit.USAGE);
    assertThat(bad.err()).contains("before must be an activation id");

    service.problem(LIST, 404, "not-found", "App acme/web/hello not found");
    assertThat(cli.run("activations", "-t", "acme", "-p", "web", "-a", "hello").code())
        .isEqualTo(Exit.NOT_FOUND);
  }

  private static String page(String next) {
    return "{\"activations\":["
        + activation(FIRST, "http", "2026-12-07T01:00:02Z")
        + ","
        + activation(SECOND, "cron", "2026-12-07T01:00:01Z")
        + "],\"next\":\""
        + next
        + "\"}";
  }

  private static String activation(String id, String trigger, String startedAt) {
    return "{\"id\":\""
        + id
        + "\",\"revision\":1,\"trigger\":\""
        + trigger
        + "\",\"startedAt\":\""
        + startedAt
        + "\",\"durationMs\":12,\"status\":\"error\",\"httpStatus\":502,\"resultBytes\":0,"
        + "\"error\":\"Error: boom\"}";
  }
}
