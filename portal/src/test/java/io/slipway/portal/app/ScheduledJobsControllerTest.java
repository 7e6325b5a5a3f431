package io.slipway.portal.app;

import static io.slipway.portal.web.FakeServices.BEARER;
import static io.slipway.portal.web.FakeServices.answer;
import static io.slipway.portal.web.FakeServices.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
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

import io.slipway.kit.client.RuntimeBridge.CronList;
import io.slipway.kit.client.RuntimeBridge.RunRequest;
import io.slipway.kit.client.RuntimeBridge.RunView;
import io.slipway.kit.client.TenantService.App;
import io.slipway.kit.client.TenantViews.TenantView;
import io.slipway.portal.app.ScheduledJobsController.JobRun;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.client.ResourceAccessException;

@PortalSliceTest({AppController.class, ScheduledJobsController.class})
class ScheduledJobsControllerTest {

  static final String PAGE = "/t/acme/p/web/a/api";
  static final String RUN = PAGE + "/cron/0123456789ab/run";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void services() {
    services.clear();
    doReturn(answer("{'name':'api','source':'hosted-git'}", App.class))
        .when(services.tenants)
        .app("acme", "web", "api", BEARER);
    role("developer");
  }

  private void role(String role) {
    doReturn(answer("{'name':'acme','role':'" + role + "'}", TenantView.class))
        .when(services.tenants)
        .tenantView("acme", BEARER);
  }

  private void cron(String json) {
    doReturn(answer(json, CronList.class))
        .when(services.runtimes)
        .cron("acme", "web", "api", BEARER);
  }

  private String page() throws Exception {
    return mvc.perform(get(PAGE).with(Users.developer("alice")))
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  @Test
  void listsEachEntryWithItsScheduleCommandLastAndNextFiringAndRunNow() throws Exception {
    Instant next = Instant.now().plus(3, ChronoUnit.MINUTES);
    cron(
        "{'tenant':'acme','project':'web','app':'api','revision':2,'stopped':false,"
            + "'timeZone':'UTC','entries':["
            + "{'id':'0123456789ab','schedule':'*/10 * * * *','command':'node report.js <b>',"
            + "'nextRunAt':'"
            + next
            + "','lastRuns':[{'dueAt':'2026-12-05T10:00:00Z','status':'failed','runId':'r-2',"
            + "'exitCode':3,'startedAt':'2026-12-05T10:00:01Z','durationMs':1200,'reason':null},"
            + "{'dueAt':'2026-12-05T09:50:00Z','status':'succeeded','runId':'r-1','exitCode':0,"
            + "'startedAt':'2026-12-05T09:50:01Z','durationMs':300,'reason':null}]},"
            + "{'id':'ba9876543210','schedule':'15 3 * * 1-5','command':'true',"
            + "'nextRunAt':'"
            + next
            + "','lastRuns':[]}]}");

    String page = page();

    assertThat(page)
        .contains("Scheduled jobs", "<code>*/10 * * * *</code>", "every 10 minutes")
        .contains("<code>node report.js &lt;b&gt;</code>")
        // the latest firing only, in words, with its exit code and duration
        .contains("failed with exit code 3", "took 1.2 s", "datetime=\"2026-12-05T10:00:01Z\"")
        .doesNotContain("took 300 ms")
        .contains("in 3 minutes", "<code>15 3 * * 1-5</code>", "Not run yet")
        .contains(
            "action=\"/t/acme/p/web/a/api/cron/0123456789ab/run\"",
            "aria-label=\"Run now: node report.js &lt;b&gt;\"",
            "action=\"/t/acme/p/web/a/api/cron/ba9876543210/run\"")
        .doesNotContain("No scheduled jobs");
  }

  @Test
  void aViewerSeesTheJobsWithoutRunNow() throws Exception {
    role("viewer");
    cron(
        "{'revision':1,'stopped':true,'timeZone':'UTC','entries':[{'id':'0123456789ab',"
            + "'schedule':'@daily','command':'true','nextRunAt':null,'lastRuns':[{'dueAt':"
            + "'2026-12-05T00:00:00Z','status':'skipped','reason':'the previous run still ran'}]}]}");

    String page = page();

    assertThat(page)
        .contains("<code>@daily</code>", "every day at 00:00 UTC")
        .contains("skipped: the previous run still ran", "none while stopped")
        .contains("The app is stopped: no job comes due")
        .doesNotContain("Run now", "/cron/0123456789ab/run");
  }

  @Test
  void anAppWithoutCronSaysHowToDeclareJobsAndABridgeDownHidesOnlyThisPart() throws Exception {
    cron("{'revision':1,'stopped':false,'timeZone':'UTC','entries':[]}");
    assertThat(page()).contains("No scheduled jobs. Declare jobs in app.json's");

    doThrow(new ResourceAccessException("connection refused"))
        .when(services.runtimes)
        .cron("acme", "web", "api", BEARER);
    assertThat(page())
        .contains("runtime-bridge cannot be reached right now; try again shortly")
        .contains("Scheduled jobs", "Delete this app")
        .doesNotContain("No scheduled jobs");
  }

  @Test
  void runNowRunsTheDeclaredCommandAndShowsTheOutputsLastLinesAfterTheRedirect() throws Exception {
    cron(
        "{'revision':1,'stopped':false,'timeZone':'UTC','entries':[{'id':'0123456789ab',"
            + "'schedule':'@hourly','command':'node report.js','nextRunAt':null,'lastRuns':[]}]}");
    StringBuilder output = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      output.append("line ").append(i).append(i == 30 ? " <script>x</script>" : "\\n");
    }
    doReturn(
            answer(
                "{'id':'r-9','revision':1,'command':'node report.js','runBy':'alice',"
                    + "'startedAt':'2026-12-05T10:00:00Z','finishedAt':'2026-12-05T10:00:02Z',"
                    + "'exitCode':0,'timedOut':false,'output':'"
                    + output
                    + "','durationMs':2100,'cronEntry':null}",
                RunView.class))
        .when(services.runtimes)
        .run("acme", "web", "api", new RunRequest("node report.js"), BEARER);

    var result =
        mvc.perform(post(RUN).with(Users.developer("alice")).with(csrf()))
            .andExpect(redirectedUrl(PAGE + "#jobs"))
            .andExpect(flash().attribute("notice", "Ran node report.js: succeeded (exit code 0)."))
            .andReturn();
    JobRun run = (JobRun) result.getFlashMap().get("jobRun");
    assertThat(run.output().lines()).hasSize(ScheduledJobsController.OUTPUT_LINES);
    assertThat(run.outputCut()).isTrue();

    String page =
        mvc.perform(get(PAGE).with(Users.developer("alice")).flashAttrs(result.getFlashMap()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("Ran node report.js: succeeded (exit code 0).", ", took 2.1 s")
        .contains("line 11\nline 12", "line 30 &lt;script&gt;x&lt;/script&gt;</pre>")
        .doesNotContain("line 10\n", "<script>x</script>");
  }

  @Test
  void aRefusedRunSaysWhyInPlainWords() throws Exception {
    cron(
        "{'revision':1,'stopped':false,'timeZone':'UTC','entries':[{'id':'0123456789ab',"
            + "'schedule':'@hourly','command':'true','nextRunAt':null,'lastRuns':[]}]}");
    doThrow(refusal(403, "forbidden", "Changing an app needs the developer role in tenant 'acme'"))
        .when(services.runtimes)
        .run("acme", "web", "api", new RunRequest("true"), BEARER);
    mvc.perform(post(RUN).with(Users.developer("victor")).with(csrf()))
        .andExpect(redirectedUrl(PAGE + "#jobs"))
        .andExpect(
            flash()
                .attribute(
                    "error",
                    "The job was not run: running a job needs the developer role in this"
                        + " tenant. runtime-bridge said: Changing an app needs the developer"
                        + " role in tenant 'acme'"));

    doThrow(refusal(409, "app-stopped", "the app is stopped: start it first"))
        .when(services.runtimes)
        .run("acme", "web", "api", new RunRequest("true"), BEARER);
    mvc.perform(post(RUN).with(Users.developer("alice")).with(csrf()))
        .andExpect(
            flash().attribute("error", "The job was not run: the app is stopped: start it first"));
  }

  @Test
  void anEntryTheLiveRevisionNoLongerDeclaresIsNotRunNorIsAFormWithoutCsrf() throws Exception {
    cron("{'revision':2,'stopped':false,'timeZone':'UTC','entries':[]}");
    mvc.perform(post(RUN).with(Users.developer("alice")).with(csrf()))
        .andExpect(
            flash()
                .attribute(
                    "error",
                    "The job was not run: the live revision no longer declares it in app.json's"
                        + " cron."));
    mvc.perform(post(RUN).with(Users.developer("alice"))).andExpect(status().isForbidden());
    verify(services.runtimes, never())
        .run(anyString(), anyString(), anyString(), any(RunRequest.class), anyString());
  }
}
