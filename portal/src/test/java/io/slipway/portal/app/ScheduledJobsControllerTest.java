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
import io.slipway.kit.client.RuntimeBridge.RunPage;
import io.slipway.kit.client.RuntimeBridge.RunRequest;
import io.slipway.kit.client.RuntimeBridge.RunView;
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

@PortalSliceTest({AppController.class, ScheduledJobsController.class, AppRunsController.class})
class ScheduledJobsControllerTest {

  static final String PAGE = "/t/acme/p/web/a/api";
  static final String RUN = PAGE + "/cron/0123456789ab/run";

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

  private void cron(String json) {
    doReturn(answer(json, CronList.class))
        .when(services.runtimes)
        .cron("acme", "web", "api", BEARER);
  }

  private String page() throws Exception {
    return page(PAGE);
  }

  private String page(String path) throws Exception {
    return mvc.perform(get(path).with(Users.developer("alice")))
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

  private void run(String id, String finishedAt, Integer exitCode, String output) {
    doReturn(
            answer(
                "{'id':'"
                    + id
                    + "','revision':1,'command':'node report.js','runBy':'alice',"
                    + "'startedAt':'2026-12-05T10:00:00Z','finishedAt':"
                    + (finishedAt == null ? "null" : "'" + finishedAt + "'")
                    + ",'exitCode':"
                    + exitCode
                    + ",'timedOut':false,'output':'"
                    + output
                    + "','durationMs':"
                    + (finishedAt == null ? "null" : "2100")
                    + ",'cronEntry':null}",
                RunView.class))
        .when(services.runtimes)
        .run("acme", "web", "api", id, BEARER);
  }

  @Test
  void runNowStartsTheDeclaredCommandAndRedirectsAtOnceToThePageThatFollowsTheRun()
      throws Exception {
    cron(
        "{'revision':1,'stopped':false,'timeZone':'UTC','entries':[{'id':'0123456789ab',"
            + "'schedule':'@hourly','command':'node report.js','nextRunAt':null,'lastRuns':[]}]}");
    doReturn(
            answer(
                "{'id':'r9abc','revision':1,'command':'node report.js','runBy':'alice',"
                    + "'startedAt':'2026-12-05T10:00:00Z','finishedAt':null,'exitCode':null,"
                    + "'timedOut':false,'output':null,'durationMs':null,'cronEntry':null}",
                RunView.class))
        .when(services.runtimes)
        .startRun("acme", "web", "api", new RunRequest("node report.js"), BEARER);

    mvc.perform(post(RUN).with(Users.developer("alice")).with(csrf()))
        .andExpect(redirectedUrl(PAGE + "?run=r9abc#jobs"))
        .andExpect(
            flash()
                .attribute(
                    "notice", "Started node report.js: how it goes shows below until it ends."));

    // while it runs, its part says so and is fetched again (a meta refresh without scripts)
    run("r9abc", null, null, "");
    String running = page(PAGE + "?run=r9abc");
    assertThat(running)
        .contains("id=\"run-result\">running</span>")
        .contains("data-refresh=\"/t/acme/p/web/a/api/runs/r9abc/part?whole=false\"")
        .contains("<noscript><meta http-equiv=\"refresh\" content=\"3\"></noscript>");

    // once it ended: its exit code, duration and the last lines of its output, escaped
    StringBuilder output = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      output.append("line ").append(i).append(i == 30 ? " <script>x</script>" : "\\n");
    }
    run("r9abc", "2026-12-05T10:00:02Z", 0, output.toString());
    String ended = page(PAGE + "?run=r9abc");
    assertThat(ended)
        .contains("succeeded (exit code 0)</span>", ", took 2.1 s", "The last lines of its output:")
        .contains("line 11\nline 12", "line 30 &lt;script&gt;x&lt;/script&gt;</pre>")
        .doesNotContain("line 10\n", "<script>x</script>", "data-refresh=", "http-equiv")
        .contains("href=\"/t/acme/p/web/a/api/runs/r9abc\"");

    // the part alone, as the page's script fetches it
    String part =
        mvc.perform(get(PAGE + "/runs/r9abc/part").with(Users.developer("alice")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(part.strip()).startsWith("<div id=\"job-run\"").endsWith("</div>");
    assertThat(part).contains("succeeded (exit code 0)").doesNotContain("<html", "line 10\n");
  }

  @Test
  void theRunsPageShowsTheWholeOutputAndTheAppPageListsRecentRunsToAViewer() throws Exception {
    role("viewer");
    cron("{'revision':1,'stopped':false,'timeZone':'UTC','entries':[]}");
    StringBuilder output = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      output.append("line ").append(i).append("\\n");
    }
    run("r9abc", "2026-12-05T10:00:02Z", 3, output.toString());
    String page = page(PAGE + "/runs/r9abc");
    assertThat(page)
        .contains("Run <code>r9abc</code>", "failed with exit code 3", "Its output:")
        .contains("line 1\nline 2\n", "line 30</pre>")
        .doesNotContain("data-refresh=", "The run's page");

    doReturn(
            answer(
                "{'items':[{'id':'r9abc','revision':1,'command':'node report.js','runBy':'alice',"
                    + "'startedAt':'2026-12-05T10:00:00Z','finishedAt':'2026-12-05T10:00:02Z',"
                    + "'exitCode':3,'timedOut':false,'output':'x','durationMs':2100,"
                    + "'cronEntry':null},{'id':'c2def','revision':1,'command':'true <b>',"
                    + "'runBy':'cron','startedAt':'2026-12-05T09:00:00Z','finishedAt':null,"
                    + "'exitCode':null,'timedOut':false,'output':'','durationMs':null,"
                    + "'cronEntry':'0123456789ab'}],'page':0,'size':10,'total':2}",
                RunPage.class))
        .when(services.runtimes)
        .runs("acme", "web", "api", 0, 10, BEARER);
    String app = page(PAGE);
    assertThat(app)
        .contains("id=\"runs-heading\">Runs</h2>")
        .contains("<td>alice</td>", "<code>node report.js</code>", ">failed</span>", "<td>3</td>")
        .contains("<td>2.1 s</td>", "href=\"/t/acme/p/web/a/api/runs/r9abc\"")
        .contains("<td>cron</td>", "<code>true &lt;b&gt;</code>", ">running</span>")
        .doesNotContain("No runs yet");
  }

  @Test
  void anotherAppsOrTenantsRunIsNotFound() throws Exception {
    doThrow(FakeServices.notFound())
        .when(services.runtimes)
        .run("acme", "web", "api", "zzz", BEARER);
    mvc.perform(get(PAGE + "/runs/zzz").with(Users.developer("mallory")))
        .andExpect(status().isNotFound());
    mvc.perform(get(PAGE + "/runs/zzz/part").with(Users.developer("mallory")))
        .andExpect(status().isNotFound());
    mvc.perform(get(PAGE + "/runs/..%2Fx").with(Users.developer("mallory")))
        .andExpect(status().is4xxClientError());
  }

  @Test
  void aRefusedRunSaysWhyInPlainWords() throws Exception {
    cron(
        "{'revision':1,'stopped':false,'timeZone':'UTC','entries':[{'id':'0123456789ab',"
            + "'schedule':'@hourly','command':'true','nextRunAt':null,'lastRuns':[]}]}");
    doThrow(refusal(403, "forbidden", "Changing an app needs the developer role in tenant 'acme'"))
        .when(services.runtimes)
        .startRun("acme", "web", "api", new RunRequest("true"), BEARER);
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
        .startRun("acme", "web", "api", new RunRequest("true"), BEARER);
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
        .startRun(anyString(), anyString(), anyString(), any(RunRequest.class), anyString());
  }
}
