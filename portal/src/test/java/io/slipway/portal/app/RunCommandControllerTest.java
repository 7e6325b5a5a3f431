package io.slipway.portal.app;

import static io.slipway.portal.web.FakeServices.BEARER;
import static io.slipway.portal.web.FakeServices.answer;
import static io.slipway.portal.web.FakeServices.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.kit.client.RuntimeBridge.RunRequest;
import io.slipway.kit.client.RuntimeBridge.RunView;
import io.slipway.kit.validation.Limits;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

@PortalSliceTest({AppController.class, RunCommandController.class, AppRunsController.class})
class RunCommandControllerTest {

  static final String PAGE = "/t/acme/p/web/a/api";
  static final String RUNS = PAGE + "/runs";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void services() {
    services.clear();
    services.hostedApp();
    role("developer");
  }

  private void role(String role) {
    services.role(role);
  }

  private String page(String path) throws Exception {
    return mvc.perform(get(path).with(Users.developer("alice")))
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  private static RunView run(String finishedAt, Integer exitCode, String output) {
    return answer(
        "{'id':'r9abc','revision':1,'command':'node migrate.js','runBy':'alice',"
            + "'startedAt':'2026-12-05T10:00:00Z','finishedAt':"
            + (finishedAt == null ? "null" : "'" + finishedAt + "'")
            + ",'exitCode':"
            + exitCode
            + ",'timedOut':false,'output':"
            + (output == null ? "null" : "'" + output + "'")
            + ",'durationMs':"
            + (finishedAt == null ? "null" : "2100")
            + ",'cronEntry':null}",
        RunView.class);
  }

  @Test
  void aDeveloperSeesTheFormAndAViewerDoesNot() throws Exception {
    assertThat(page(PAGE))
        .contains("<h3>Run a command</h3>", "action=\"/t/acme/p/web/a/api/runs\"")
        .contains("name=\"command\"", "maxlength=\"" + Limits.RUN_COMMAND_MAX + "\"")
        .contains("name=\"_csrf\"");

    role("viewer");
    assertThat(page(PAGE))
        .doesNotContain("Run a command", "action=\"/t/acme/p/web/a/api/runs\"")
        .contains("running jobs and commands");
  }

  @Test
  void aCommandStartsARunAndRedirectsToItsPageWhichFollowsItsOutputLive() throws Exception {
    doReturn(run(null, null, null))
        .when(services.runtimes)
        .startRun("acme", "web", "api", new RunRequest("node migrate.js"), BEARER);

    mvc.perform(
            post(RUNS)
                .param("command", "node migrate.js")
                .with(Users.developer("alice"))
                .with(csrf()))
        .andExpect(redirectedUrl(RUNS + "/r9abc"));

    // while it runs, its page follows the relayed stream and fetches its part once it ended
    doReturn(run(null, null, null))
        .when(services.runtimes)
        .run("acme", "web", "api", "r9abc", BEARER);
    assertThat(page(RUNS + "/r9abc"))
        .contains("id=\"run-result\">running</span>")
        .contains("data-stream=\"/t/acme/p/web/a/api/runs/r9abc/output\"", "data-part=\"job-run\"")
        .contains("data-part-url=\"/t/acme/p/web/a/api/runs/r9abc/part?whole=true\"")
        .contains("<noscript><meta http-equiv=\"refresh\" content=\"3\"></noscript>")
        .doesNotContain("data-refresh=");

    // once it ended: its exit code and whole output, nothing followed
    doReturn(run("2026-12-05T10:00:02Z", 2, "migrated\\nfailed"))
        .when(services.runtimes)
        .run("acme", "web", "api", "r9abc", BEARER);
    assertThat(page(RUNS + "/r9abc"))
        .contains("failed with exit code 2", "migrated\nfailed</pre>")
        .doesNotContain("data-stream=", "data-part-url=", "http-equiv");
  }

  @Test
  void theOutputIsRelayedAsTheBridgeStreamsIt() throws Exception {
    String events = "event:log\ndata:migrated\n\nevent:end\ndata:{\"exitCode\":0}\n\n";
    doAnswer(call -> new ByteArrayInputStream(events.getBytes(StandardCharsets.UTF_8)))
        .when(services.runtimes)
        .runOutput("acme", "web", "api", "r9abc", BEARER);
    String body =
        mvc.perform(get(RUNS + "/r9abc/output").with(Users.developer("victor")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(body).isEqualTo(events);

    doThrow(FakeServices.notFound())
        .when(services.runtimes)
        .runOutput("acme", "web", "api", "zzz", BEARER);
    String refused =
        mvc.perform(get(RUNS + "/zzz/output").with(Users.developer("mallory")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(refused).startsWith("event: problem\n");
  }

  @Test
  void aBlankOrTooLongCommandIsNotSentAndTheFormSaysWhy() throws Exception {
    mvc.perform(post(RUNS).param("command", "  ").with(Users.developer("alice")).with(csrf()))
        .andExpect(redirectedUrl(PAGE + "#runs"))
        .andExpect(flash().attribute("runError", "Type a command to run."));
    String tooLong = "x".repeat(Limits.RUN_COMMAND_MAX + 1);
    mvc.perform(post(RUNS).param("command", tooLong).with(Users.developer("alice")).with(csrf()))
        .andExpect(redirectedUrl(PAGE + "#runs"))
        .andExpect(
            flash().attribute("runError", "The command is 4097 characters long: at most 4096 fit."))
        .andExpect(flash().attribute("runCommand", tooLong));
    verify(services.runtimes, never())
        .startRun(anyString(), anyString(), anyString(), any(), anyString());
    assertThat(RunCommandController.invalid("a\0b")).contains("NUL");
    assertThat(RunCommandController.invalid("x".repeat(Limits.RUN_COMMAND_MAX))).isNull();
  }

  @Test
  void aRefusedCommandIsExplainedOnTheAppPageWithTheCommandKept() throws Exception {
    refusedWith(
        refusal(409, "quota-exceeded", "cpu: 500 of 500 millicores used"),
        "one more instance of the app does not fit the quota while the command runs"
            + " (cpu: 500 of 500 millicores used).");
    refusedWith(
        refusal(409, "not-deployed", "App acme/web/api has no live revision"),
        "the app has no live revision yet: deploy it first.");
    refusedWith(
        refusal(409, "app-stopped", "App acme/web/api is stopped; start it first"),
        "the app is stopped: start it first.");
    refusedWith(
        refusal(403, "forbidden", "Changing an app needs the developer role"),
        "running a command needs the developer role in this tenant.");

    // the app page shows it by the form, which keeps the command
    String page =
        mvc.perform(
                get(PAGE)
                    .flashAttr("runError", "The command was not run: the app is stopped.")
                    .flashAttr("runCommand", "rake db:migrate")
                    .with(Users.developer("alice")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("id=\"run-error\">The command was not run: the app is stopped.</p>")
        .contains("value=\"rake db:migrate\"");
  }

  /**
   * runtime-bridge refuses {@code rake db:migrate} with {@code refusal}: the flash says {@code
   * why}.
   */
  private void refusedWith(RuntimeException refusal, String why) throws Exception {
    doThrow(refusal)
        .when(services.runtimes)
        .startRun("acme", "web", "api", new RunRequest("rake db:migrate"), BEARER);
    mvc.perform(
            post(RUNS)
                .param("command", "rake db:migrate")
                .with(Users.developer("alice"))
                .with(csrf()))
        .andExpect(redirectedUrl(PAGE + "#runs"))
        .andExpect(flash().attribute("runError", "The command was not run: " + why))
        .andExpect(flash().attribute("runCommand", "rake db:migrate"));
  }

  @Test
  void aFormWithoutCsrfIsRefused() throws Exception {
    mvc.perform(post(RUNS).param("command", "true").with(Users.developer("alice")))
        .andExpect(status().isForbidden());
    verify(services.runtimes, never())
        .startRun(anyString(), anyString(), anyString(), any(), anyString());
  }
}
