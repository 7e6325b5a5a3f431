package io.slipway.portal.app;

import static io.slipway.portal.web.FakeServices.BEARER;
import static io.slipway.portal.web.FakeServices.answer;
import static io.slipway.portal.web.FakeServices.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.kit.client.AppBuilds;
import io.slipway.kit.client.AppBuilds.BuildPage;
import io.slipway.kit.client.AppBuilds.BuildView;
import io.slipway.kit.client.RuntimeBridge.Autoscaling;
import io.slipway.kit.client.RuntimeBridge.CronList;
import io.slipway.kit.client.RuntimeBridge.DeploymentsView;
import io.slipway.kit.client.RuntimeBridge.DomainsView;
import io.slipway.kit.client.RuntimeBridge.EnvView;
import io.slipway.kit.client.RuntimeBridge.EventsView;
import io.slipway.kit.client.RuntimeBridge.ScaleToZero;
import io.slipway.kit.client.TenantViews.Page;
import io.slipway.kit.client.TenantViews.ProjectView;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.client.ResourceAccessException;
import tools.jackson.core.type.TypeReference;

@PortalSliceTest(AppController.class)
class AppControllerTest {

  static final String PAGE = "/t/acme/p/web/a/api";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void services() {
    services.clear();
    services.hostedApp();
  }

  private void role(String role) {
    services.role(role);
  }

  @Test
  void showsStatusUrlPushToLiveBuildsSettingsAndEvents() throws Exception {
    role("developer");
    everyPart();

    String page = page("alice");

    assertThat(page)
        .contains("Running (2 replicas)", "http://api--web--acme.apps.localhost:8088")
        // each other process type with its command (escaped), what runs of it and its own scale
        .contains("<code>worker</code>", "<code>node worker.js &lt;b&gt;</code>", "0 of 1")
        .contains("name=\"type\" value=\"worker\"", "aria-label=\"Instances of worker\"")
        .contains("Push to live:", "1.7 s", "Build #<span>7</span>")
        .contains("admission", "health", "hand-offs")
        .contains("/t/acme/p/web/a/api/builds/7", "Roll back to this", "value=\"1\"")
        .contains("GREETING", "hello", "DB_PASSWORD", "••••••••")
        .contains("shop.example.com", "OOMKilled", "instance 0 ran out of memory")
        // a verified domain links to the app; a pending one shows how to prove it and why not yet
        .contains("href=\"http://shop.example.com\"", ">verified<", ">pending<")
        .contains(
            "http://new.example.com/.well-known/slipway-domain/tok-2",
            "_slipway-challenge.new.example.com",
            "Last check: HTTP: new.example.com has no DNS record (A or AAAA)",
            "aria-label=\"Verify new.example.com\"")
        .doesNotContain("aria-label=\"Verify shop.example.com\"")
        .contains("data-stream=\"/t/acme/p/web/a/api/logs\"")
        .contains("git remote add slipway http://127.0.0.1:8082/git/acme/web/api.git")
        .doesNotContain("id=\"read-only\"");
    // the build of revision 2 is linked by number from the builds, the deploy history and its event
    assertThat(page.split("href=\"/t/acme/p/web/a/api/builds/7\">#7</a>", -1)).hasSize(4);
    // the forms take what runtime-bridge accepts (service-kit's Limits), no more and no less
    assertThat(page)
        .contains(
            "id=\"env-name\" name=\"name\" required maxlength=\"128\""
                + " pattern=\"[A-Za-z_][A-Za-z0-9_]*\"")
        .contains("id=\"env-value\" name=\"value\" maxlength=\"4096\"")
        .contains(
            "id=\"secret-value\" name=\"value\" type=\"password\" required maxlength=\"8192\"")
        .contains("id=\"run-command-text\" name=\"command\" required maxlength=\"4096\"");
    assertThat(formActions(page))
        .contains(
            PAGE + "/stop",
            PAGE + "/restart",
            PAGE + "/scale",
            PAGE + "/builds/8/cancel",
            PAGE + "/rollback",
            PAGE + "/env",
            PAGE + "/env/remove",
            PAGE + "/secrets",
            PAGE + "/secrets/remove",
            PAGE + "/domains",
            PAGE + "/domains/verify",
            PAGE + "/domains/remove",
            PAGE + "/cron/0123456789ab/run",
            PAGE + "/runs",
            PAGE + "/delete");
  }

  @Test
  void aViewerReadsEveryPartButIsOfferedNothingThatChangesTheApp() throws Exception {
    role("viewer");
    everyPart();

    String page = page("victor");

    assertThat(page)
        .contains("Running (2 replicas)", "<code>node worker.js &lt;b&gt;</code>")
        .contains("GREETING", "DB_PASSWORD", "shop.example.com", "OOMKilled", "<code>report</code>")
        .contains("_slipway-challenge.new.example.com", "data-stream=\"/t/acme/p/web/a/api/logs\"")
        .contains("id=\"read-only\"", "needs the developer role in this tenant")
        .doesNotContain("Run now", "Roll back to this", "Delete this app", "Set a secret");
    // signing out is the one thing a viewer may post here
    assertThat(formActions(page)).containsExactly("/logout");
  }

  @Test
  void anExternalGitAppShowsItsCommitStatusAndAFormToSetOrTurnItOff() throws Exception {
    role("developer");
    services.externalGitApp();
    doReturn(new AppBuilds.Webhook("https://builds.example/hooks/acme/web/api", "s3cret"))
        .when(services.appBuilds)
        .webhook("acme", "web", "api", BEARER);
    doReturn(
            answer(
                "{'forge':'gitlab','apiUrl':'https://gitlab.example/api/v4','tokenSet':true,"
                    + "'lastDelivery':{'at':'2026-12-07T10:00:00Z','state':'failure',"
                    + "'outcome':'forge answered 401'}}",
                AppBuilds.CommitStatus.class))
        .when(services.appBuilds)
        .commitStatus("acme", "web", "api", BEARER);

    String page = page("alice");

    assertThat(page)
        .contains("On: posted to", "https://gitlab.example/api/v4", "token set")
        .contains("forge answered 401")
        .contains("<option value=\"gitlab\" selected=\"selected\">gitlab</option>")
        .contains("type=\"password\"");
    assertThat(formActions(page)).contains(PAGE + "/commit-status", PAGE + "/commit-status/delete");

    // off: said so, and no form to turn it off
    doReturn(answer("{'tokenSet':false}", AppBuilds.CommitStatus.class))
        .when(services.appBuilds)
        .commitStatus("acme", "web", "api", BEARER);
    String off = page("alice");
    assertThat(off).contains("Off: nothing is posted to your git host");
    assertThat(formActions(off))
        .contains(PAGE + "/commit-status")
        .doesNotContain(PAGE + "/commit-status/delete");
  }

  private String page(String user) throws Exception {
    return mvc.perform(get(PAGE).with(Users.developer(user)))
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  /** Where each form of the page posts to. */
  private static List<String> formActions(String page) {
    return Pattern.compile("<form[^>]* action=\"([^\"]+)\"")
        .matcher(page)
        .results()
        .map(m -> m.group(1))
        .toList();
  }

  /** Every part of a deployed app's page, from each service. */
  private void everyPart() {
    String build =
        "{'id':'b-7','number':7,'status':'succeeded','commitId':'1a2b3c',"
            + "'pushedBy':'alice','createdAt':'2026-11-25T10:00:00Z',"
            + "'receivedAt':'2026-11-25T10:00:00Z','stages':[{'name':'receive','millis':40},"
            + "{'name':'queue','millis':10},{'name':'build','millis':900},"
            + "{'name':'image','millis':50}]}";
    String queued =
        "{'id':'b-8','number':8,'status':'queued','commitId':'4d5e6f','pushedBy':'alice',"
            + "'createdAt':'2026-11-25T10:05:00Z','receivedAt':'2026-11-25T10:05:00Z','stages':[]}";
    doReturn(
            answer(
                "{'items':[" + queued + "," + build + "],'page':0,'size':10,'total':2}",
                BuildPage.class))
        .when(services.appBuilds)
        .builds("acme", "web", "api", 10, BEARER);
    // push-to-live reads the build the live revision names, by its number
    doReturn(answer(build, BuildView.class))
        .when(services.appBuilds)
        .build("acme", "web", "api", 7, BEARER);
    doReturn(
            answer(
                "{'url':'http://api--web--acme.apps.localhost:8088','liveRevision':2,'stopped':false,"
                    + "'processes':[{'type':'web','command':null,'count':2,'running':2},"
                    + "{'type':'worker','command':'node worker.js <b>','count':1,'running':0}],"
                    + "'revisions':["
                    + "{'revision':2,'status':'live','image':'img@sha256:2','replicas':2,'port':8080,"
                    + "'buildId':'b-7','buildNumber':7,'liveAt':'2026-11-25T10:00:01.700Z','stages':["
                    + "{'name':'admission','millis':20},{'name':'start','millis':300},"
                    + "{'name':'health','millis':200},{'name':'route','millis':30}]},"
                    + "{'revision':1,'status':'retired','image':'img@sha256:1','replicas':1,'port':8080}]}",
                DeploymentsView.class))
        .when(services.runtimes)
        .deploymentsView("acme", "web", "api", BEARER);
    doReturn(answer("{'env':{'GREETING':'hello'},'secrets':['DB_PASSWORD']}", EnvView.class))
        .when(services.runtimes)
        .env("acme", "web", "api", BEARER);
    doReturn(
            answer(
                "{'domains':[{'domain':'shop.example.com','state':'verified','token':'t1',"
                    + "'httpUrl':'http://shop.example.com/.well-known/slipway-domain/t1',"
                    + "'txtName':'_slipway-challenge.shop.example.com'},"
                    + "{'domain':'new.example.com','state':'pending','token':'tok-2',"
                    + "'httpUrl':'http://new.example.com/.well-known/slipway-domain/tok-2',"
                    + "'txtName':'_slipway-challenge.new.example.com',"
                    + "'failure':'HTTP: new.example.com has no DNS record (A or AAAA)'}]}",
                DomainsView.class))
        .when(services.runtimes)
        .domains("acme", "web", "api", BEARER);
    doReturn(
            answer(
                "{'items':[{'time':'2026-11-25T10:00:01Z','type':'Warning','reason':'OOMKilled',"
                    + "'message':'instance 0 ran out of memory','revision':2}]}",
                EventsView.class))
        .when(services.runtimes)
        .events("acme", "web", "api", BEARER);
    doReturn(
            answer(
                "{'revision':2,'stopped':false,'timeZone':'UTC','entries':[{'id':'0123456789ab',"
                    + "'schedule':'@hourly','command':'report','nextRunAt':null,'lastRuns':[]}]}",
                CronList.class))
        .when(services.runtimes)
        .cron("acme", "web", "api", BEARER);
  }

  @Test
  void scaleToZeroIsOfferedToDevelopersShownToViewersAndAnAppAtZeroSaysItIsAsleep()
      throws Exception {
    role("developer");
    everyPart();
    String zero = "/t/acme/p/web/a/api/scale-to-zero";
    scaleToZero("{'enabled':true,'idleAfter':'10m','atZero':true,'supported':true}");

    String page = page("alice");

    assertThat(formActions(page)).contains(zero);
    assertThat(page)
        .contains("Asleep: scaled to zero after", "value=\"true\" checked=\"checked\"")
        .contains("value=\"10m\"");

    role("viewer");
    String viewed = page("victor");
    assertThat(formActions(viewed)).doesNotContain(zero);
    assertThat(viewed).contains("Asleep:", "Scales to zero after 10m without requests.");

    // a runtime that cannot scale to zero offers nothing of it
    role("developer");
    scaleToZero("{'enabled':false,'idleAfter':null,'atZero':false,'supported':false}");
    String unsupported = page("alice");
    assertThat(formActions(unsupported)).doesNotContain(zero);
    assertThat(unsupported).doesNotContain("Scale to zero after", "Asleep:");

    // paused rather than stopped: said so, with how long until it is stopped
    scaleToZero(
        "{'enabled':true,'idleAfter':'5m','pausedFor':'1h','atZero':true,'stage':'paused',"
            + "'supported':true}");
    String paused = page("alice");
    assertThat(paused)
        .contains("Paused: idle for", "Stopped if still idle after", "value=\"1h\"")
        .doesNotContain("Asleep:");
    role("viewer");
    assertThat(page("victor")).contains("Scales to zero after 5m without requests, paused for 1h");
  }

  @Test
  void autoscalingIsOfferedToDevelopersAndShownToViewers() throws Exception {
    role("developer");
    everyPart();
    String auto = "/t/acme/p/web/a/api/autoscaling";
    doReturn(
            answer(
                "{'enabled':true,'min':2,'max':5,'targetConcurrency':20,'supported':true}",
                Autoscaling.class))
        .when(services.runtimes)
        .autoscaling("acme", "web", "api", BEARER);

    String page = page("alice");
    assertThat(formActions(page)).contains(auto);
    assertThat(page).contains("id=\"auto-max\"", "value=\"5\"", "value=\"20\"");

    role("viewer");
    String viewed = page("victor");
    assertThat(formActions(viewed)).doesNotContain(auto);
    assertThat(viewed)
        .contains("Autoscales between 2 and 5 replicas, one for each 20 requests in flight.");

    // a runtime that cannot autoscale offers nothing of it
    role("developer");
    doReturn(answer("{'enabled':false,'supported':false}", Autoscaling.class))
        .when(services.runtimes)
        .autoscaling("acme", "web", "api", BEARER);
    String unsupported = page("alice");
    assertThat(formActions(unsupported)).doesNotContain(auto);
    assertThat(unsupported).doesNotContain("Autoscale between");
  }

  private void scaleToZero(String setting) {
    doReturn(answer(setting, ScaleToZero.class))
        .when(services.runtimes)
        .scaleToZero("acme", "web", "api", BEARER);
  }

  @Test
  void aDeveloperIsOfferedToPromoteTheLiveImageToTheTenantsOtherProjects() throws Exception {
    role("developer");
    everyPart();
    doReturn(
            answer(
                "{'items':[{'name':'prod'},{'name':'web'},{'name':'qa'}],'page':0,'size':100,"
                    + "'total':3}",
                new TypeReference<Page<ProjectView>>() {}))
        .when(services.tenants)
        .projects("acme", 100, BEARER);

    String page = page("alice");

    assertThat(formActions(page)).contains("/t/acme/p/web/a/api/promote");
    assertThat(page)
        .contains("<option value=\"prod\">prod</option>", "<option value=\"qa\">qa</option>")
        .doesNotContain("<option value=\"web\">");

    // a viewer is not offered it
    role("viewer");
    assertThat(formActions(page("victor"))).doesNotContain("/t/acme/p/web/a/api/promote");
  }

  @Test
  void onlyRevisionsWhoseImageRetentionKeptAreOfferedForRollbackAndPinning() throws Exception {
    role("developer");
    everyPart();
    doReturn(
            answer(
                "{'url':'http://api--web--acme.apps.localhost:8088','liveRevision':3,"
                    + "'stopped':false,'revisions':["
                    + "{'revision':3,'status':'live','image':'img@sha256:3','replicas':1,'port':8080},"
                    + "{'revision':2,'status':'retired','image':'img@sha256:2','replicas':1,"
                    + "'port':8080,'pinned':true},"
                    + "{'revision':1,'status':'retired','image':'img@sha256:1','replicas':1,"
                    + "'port':8080,'imageRemoved':true}]}",
                DeploymentsView.class))
        .when(services.runtimes)
        .deploymentsView("acme", "web", "api", BEARER);

    String page = page("alice");

    assertThat(page)
        .contains("aria-label=\"Roll back to revision 2\"", "image removed by retention")
        .doesNotContain("aria-label=\"Roll back to revision 1\"");
    // a pinned revision can be unpinned, a kept one pinned, a removed one neither
    assertThat(page)
        .contains(
            "aria-label=\"Unpin revision 2\"",
            "/t/acme/p/web/a/api/revisions/2/unpin",
            "aria-label=\"Pin revision 3\"",
            "/t/acme/p/web/a/api/revisions/3/pin")
        .doesNotContain("Pin revision 1\"", "/revisions/1/");
  }

  @Test
  void aServiceThatIsDownHidesOnlyItsOwnPartAndSaysWhy() throws Exception {
    doThrow(new ResourceAccessException("Connection refused"))
        .when(services.appBuilds)
        .builds("acme", "web", "api", 10, BEARER);
    doReturn(
            answer(
                "{'url':'http://x','liveRevision':1,'stopped':false,'revisions':[{'revision':1,"
                    + "'status':'live','image':'i','replicas':1,'port':8080}]}",
                DeploymentsView.class))
        .when(services.runtimes)
        .deploymentsView("acme", "web", "api", BEARER);

    String page =
        mvc.perform(get(PAGE).with(Users.developer("alice")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(page)
        .contains("build-service cannot be reached right now", "Running (1 replica)")
        .contains("No variables or secrets yet", "No domains of your own yet", "No events yet");
  }

  @Test
  void anAppTheUserMayNotSeeIsNotFoundAndNoOtherServiceIsAsked() throws Exception {
    doThrow(refusal(404, "not-found", "tenant 'other' was not found"))
        .when(services.tenants)
        .app("other", "web", "api", BEARER);

    String page =
        mvc.perform(get("/t/other/p/web/a/api").with(Users.developer("alice")))
            .andExpect(status().isNotFound())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(page).contains("Not found", "tenant &#39;other&#39; was not found");
    verifyNoInteractions(services.builds, services.appBuilds, services.runtimes);
  }

  @Test
  void deletingNeedsTheNameTypedThenStopsTheAppBeforeRemovingItFromTheCatalog() throws Exception {
    mvc.perform(
            post(PAGE + "/delete").param("confirm", "nope").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash()
                .attribute(
                    "error", "Type the app's name, api, to confirm that it should be deleted."));
    verifyNoInteractions(services.runtimes);

    mvc.perform(
            post(PAGE + "/delete").param("confirm", "api").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl("/t/acme/p/web"))
        .andExpect(flash().attribute("notice", "App api deleted."));
    InOrder order = inOrder(services.runtimes, services.tenants);
    order.verify(services.runtimes).delete("acme", "web", "api", BEARER);
    order.verify(services.tenants).deleteApp("acme", "web", "api", BEARER);
  }

  @Test
  void anAppNeverDeployedIsStillDeletedAndARuntimeOutageKeepsIt() throws Exception {
    doThrow(refusal(404, "not-found", "not deployed"))
        .when(services.runtimes)
        .delete("acme", "web", "api", BEARER);
    mvc.perform(
            post(PAGE + "/delete").param("confirm", "api").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl("/t/acme/p/web"));
    verify(services.tenants).deleteApp("acme", "web", "api", BEARER);

    services.clear();
    doThrow(refusal(503, "unavailable", "runtime-bridge cannot be reached"))
        .when(services.runtimes)
        .delete("acme", "web", "api", BEARER);
    mvc.perform(
            post(PAGE + "/delete").param("confirm", "api").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash()
                .attribute("error", "The app was not deleted: runtime-bridge cannot be reached"));
    verifyNoInteractions(services.tenants);
  }

  @Test
  void signedOutVisitorsAreSentToSignInAndFormsNeedTheCsrfToken() throws Exception {
    mvc.perform(get(PAGE)).andExpect(status().is3xxRedirection());
    mvc.perform(post(PAGE + "/delete").param("confirm", "api").with(Users.developer("a")))
        .andExpect(status().isForbidden());
    verifyNoInteractions(services.tenants, services.runtimes);
  }
}
