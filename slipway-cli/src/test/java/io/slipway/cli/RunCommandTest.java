package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.cli.api.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code run}: the words after {@code --} become one command, started at once; its output is
 * followed and printed as it comes, and the CLI exits with the command's code, 124 when it ran out
 * of time, or the class of a refusal.
 */
class RunCommandTest extends LoggedInCommandTest {

  private static final String RUNS = "POST /api/v1/tenants/acme/projects/web/apps/site/runs";
  private static final String RUN = "/api/v1/tenants/acme/projects/web/apps/site/runs/abcdefgh2345";

  /** The run as runtime-bridge answers it once started. */
  private static final String STARTED =
      "{\"id\":\"abcdefgh2345\",\"revision\":1,\"command\":\"c\",\"runBy\":\"alice\","
          + "\"startedAt\":\"2026-01-01T00:00:00Z\",\"finishedAt\":null,\"exitCode\":null,"
          + "\"timedOut\":false,\"output\":null,\"durationMs\":null}";

  @Test
  void theWordsAfterTheDashesAreOneCommandStartedAsyncWhoseOutputIsFollowedToItsExitCode() {
    started();
    output("event:log\ndata:hi\n\nevent:log\ndata:there\n\n" + end(run(3, false, "hi\\nthere")));

    Run.Result result = run("--", "echo", "-n", "$GREETING", "-o", "json");

    assertThat(service.requests.get(service.requests.size() - 2))
        .satisfies(
            start -> {
              assertThat(start.body()).isEqualTo("{\"command\":\"echo -n $GREETING -o json\"}");
              assertThat(start.prefer()).isEqualTo("respond-async");
            });
    assertThat(service.last().rawPath()).isEqualTo(RUN + "/output");
    assertThat(result.code()).isEqualTo(3);
    // printed from the stream, once: not again from the end's record
    assertThat(result.out()).isEqualTo("hi\nthere\n");
  }

  @Test
  void jsonIsTheWholeRunAndTheExitCodeStill() {
    started();
    output("event:log\ndata:ok\n\n" + end(run(0, false, "ok")));

    Run.Result result =
        cli.run("run", "-t", "acme", "-p", "web", "-a", "site", "-o", "json", "--", "true");

    assertThat(result.code()).isZero();
    Map<String, Object> json = Json.object(Json.parse(result.out()));
    assertThat(json).containsEntry("exitCode", 0L).containsEntry("timedOut", false);
    assertThat(json).containsEntry("output", "ok").containsKey("durationMs");
  }

  @Test
  void aCommandThatRanOutOfTimeExits124AfterItsOutput() {
    started();
    output("event:log\ndata:started\n\n" + end(run(null, true, "started")));

    Run.Result result = run("--", "sleep", "600");

    assertThat(result.code()).isEqualTo(124);
    assertThat(result.out()).isEqualTo("started\n");
    assertThat(result.err()).contains("did not finish within the platform's time limit");
  }

  @Test
  void aStreamThatBreaksOffBeforeItsEndIsReadFromTheRunsRecord() {
    started();
    output("");
    service.answer("GET " + RUN, 200, run(0, false, "done"));

    Run.Result ended = run("--", "true");

    assertThat(ended.code()).isZero();
    assertThat(ended.out()).isEqualTo("done\n");

    service.answer("GET " + RUN, 200, STARTED);
    Run.Result running = run("--", "true");

    assertThat(running.code()).isEqualTo(8);
    assertThat(running.err()).contains("abcdefgh2345 still runs");
  }

  @ParameterizedTest(name = "{0} {1} exits {2}")
  @CsvSource({
    "409, quota-exceeded, 6",
    "409, not-deployed, 7",
    "403, forbidden, 4",
    "404, not-found, 5",
    "400, invalid-command, 2"
  })
  void aRefusalExitsWithItsClass(int status, String type, int exit) {
    service.problem(RUNS, status, type, "The detail for " + type);

    Run.Result result = run("--", "true");

    assertThat(result.code()).isEqualTo(exit);
    assertThat(result.err()).contains("The detail for " + type);
  }

  @Test
  void withoutACommandItIsAUsageError() {
    int before = service.requests.size();
    assertThat(run().code()).isEqualTo(2);
    assertThat(run("--").code()).isEqualTo(2);
    assertThat(run("--", "x".repeat(4097)).code()).isEqualTo(2);
    assertThat(service.requests).hasSize(before);
  }

  private void started() {
    service.answer(RUNS, 202, STARTED);
  }

  private void output(String events) {
    service.text("GET " + RUN + "/output", 200, "text/event-stream", events);
  }

  private static String end(String run) {
    return "event:end\ndata:" + run + "\n\n";
  }

  private Run.Result run(String... command) {
    String[] args = new String[7 + command.length];
    System.arraycopy(new String[] {"run", "-t", "acme", "-p", "web", "-a", "site"}, 0, args, 0, 7);
    System.arraycopy(command, 0, args, 7, command.length);
    return cli.run(args);
  }

  private static String run(Integer exitCode, boolean timedOut, String output) {
    return "{\"id\":\"abcdefgh2345\",\"revision\":1,\"command\":\"c\",\"runBy\":\"alice\","
        + "\"startedAt\":\"2026-01-01T00:00:00Z\",\"finishedAt\":\"2026-01-01T00:00:01Z\","
        + "\"exitCode\":"
        + exitCode
        + ",\"timedOut\":"
        + timedOut
        + ",\"output\":\""
        + output
        + "\",\"durationMs\":1000,\"unknown\":1}";
  }
}
