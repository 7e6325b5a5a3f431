package io.slipway.portal.app;

import static io.slipway.portal.web.FakeServices.reads;
import static io.slipway.portal.web.FakeServices.refuses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.ServiceProblem;
import io.slipway.portal.web.Users;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

@PortalSliceTest(AppController.class)
class AppControllerTest {

  static final String PAGE = "/t/acme/p/web/a/api";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void services() {
    services.clear();
    reads(
        services.tenant, "{'name':'api','source':'hosted-git'}", AppRef.API, "acme", "web", "api");
  }

  @Test
  void showsStatusUrlPushToLiveBuildsSettingsAndEvents() throws Exception {
    String build =
        "{'id':'b-7','number':7,'status':'succeeded','commitId':'1a2b3c',"
            + "'pushedBy':'alice','createdAt':'2026-11-25T10:00:00Z',"
            + "'receivedAt':'2026-11-25T10:00:00Z','stages':[{'name':'receive','millis':40},"
            + "{'name':'queue','millis':10},{'name':'build','millis':900},"
            + "{'name':'image','millis':50}]}";
    reads(
        services.build,
        "{'items':[" + build + "]}",
        AppRef.API + "/builds?size=10",
        "acme",
        "web",
        "api");
    // push-to-live reads the build the live revision names, by its number
    reads(services.build, build, AppRef.API + "/builds/{n}", "acme", "web", "api", 7);
    reads(
        services.runtime,
        "{'url':'http://api--web--acme.apps.localhost:8088','liveRevision':2,"
            + "'processes':[{'type':'web','command':null,'count':2,'running':2},"
            + "{'type':'worker','command':'node worker.js <b>','count':1,'running':0}],"
            + "'revisions':["
            + "{'revision':2,'status':'live','image':'img@sha256:2','replicas':2,"
            + "'buildId':'b-7','buildNumber':7,'liveAt':'2026-11-25T10:00:01.700Z','stages':["
            + "{'name':'admission','millis':20},{'name':'start','millis':300},"
            + "{'name':'health','millis':200},{'name':'route','millis':30}]},"
            + "{'revision':1,'status':'retired','image':'img@sha256:1','replicas':1}]}",
        AppRef.API + "/deployments",
        "acme",
        "web",
        "api");
    reads(
        services.runtime,
        "{'env':{'GREETING':'hello'},'secrets':['DB_PASSWORD']}",
        AppRef.API + "/env",
        "acme",
        "web",
        "api");
    reads(
        services.runtime,
        "{'domains':[{'domain':'shop.example.com','state':'verified','token':'t1',"
            + "'httpUrl':'http://shop.example.com/.well-known/slipway-domain/t1',"
            + "'txtName':'_slipway-challenge.shop.example.com'},"
            + "{'domain':'new.example.com','state':'pending','token':'tok-2',"
            + "'httpUrl':'http://new.example.com/.well-known/slipway-domain/tok-2',"
            + "'txtName':'_slipway-challenge.new.example.com',"
            + "'failure':'HTTP: new.example.com has no DNS record (A or AAAA)'}]}",
        AppRef.API + "/domains",
        "acme",
        "web",
        "api");
    reads(
        services.runtime,
        "{'items':[{'time':'2026-11-25T10:00:01Z','type':'Warning','reason':'OOMKilled',"
            + "'message':'instance 0 ran out of memory','revision':2}]}",
        AppRef.API + "/events",
        "acme",
        "web",
        "api");

    String page =
        mvc.perform(get(PAGE).with(Users.developer("alice")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

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
        .contains("git remote add slipway http://127.0.0.1:8082/git/acme/web/api.git");
    // the build of revision 2 is linked by number from the builds, the deploy history and its event
    assertThat(page.split("href=\"/t/acme/p/web/a/api/builds/7\">#7</a>", -1)).hasSize(4);
    // the forms take what runtime-bridge accepts (service-kit's Limits), no more and no less
    assertThat(page)
        .contains(
            "id=\"env-name\" name=\"name\" required maxlength=\"128\""
                + " pattern=\"[A-Za-z_][A-Za-z0-9_]*\"")
        .contains("id=\"env-value\" name=\"value\" maxlength=\"4096\"")
        .contains(
            "id=\"secret-value\" name=\"value\" type=\"password\" required maxlength=\"8192\"");
  }

  @Test
  void aServiceThatIsDownHidesOnlyItsOwnPartAndSaysWhy() throws Exception {
    refuses(
        services.build,
        new ServiceProblem(503, "build-service cannot be reached right now"),
        AppRef.API + "/builds?size=10",
        "acme",
        "web",
        "api");
    reads(
        services.runtime,
        "{'url':'http://x','liveRevision':1,'revisions':[{'revision':1,"
            + "'status':'live','image':'i','replicas':1}]}",
        AppRef.API + "/deployments",
        "acme",
        "web",
        "api");

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
    refuses(
        services.tenant,
        new ServiceProblem(404, "tenant 'other' was not found"),
        AppRef.API,
        "other",
        "web",
        "api");

    String page =
        mvc.perform(get("/t/other/p/web/a/api").with(Users.developer("alice")))
            .andExpect(status().isNotFound())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(page).contains("Not found", "tenant &#39;other&#39; was not found");
    verifyNoInteractions(services.build, services.runtime);
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
    verifyNoInteractions(services.runtime);

    mvc.perform(
            post(PAGE + "/delete").param("confirm", "api").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl("/t/acme/p/web"))
        .andExpect(flash().attribute("notice", "App api deleted."));
    InOrder order = inOrder(services.runtime, services.tenant);
    order.verify(services.runtime).delete(AppRef.API, "acme", "web", "api");
    order.verify(services.tenant).delete(AppRef.API, "acme", "web", "api");
  }

  @Test
  void anAppNeverDeployedIsStillDeletedAndARuntimeOutageKeepsIt() throws Exception {
    org.mockito.Mockito.doThrow(new ServiceProblem(404, "not deployed"))
        .when(services.runtime)
        .delete(AppRef.API, "acme", "web", "api");
    mvc.perform(
            post(PAGE + "/delete").param("confirm", "api").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl("/t/acme/p/web"));
    verify(services.tenant).delete(AppRef.API, "acme", "web", "api");

    services.clear();
    org.mockito.Mockito.doThrow(new ServiceProblem(503, "runtime-bridge cannot be reached"))
        .when(services.runtime)
        .delete(AppRef.API, "acme", "web", "api");
    mvc.perform(
            post(PAGE + "/delete").param("confirm", "api").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash()
                .attribute("error", "The app was not deleted: runtime-bridge cannot be reached"));
    verifyNoInteractions(services.tenant);
  }

  @Test
  void signedOutVisitorsAreSentToSignInAndFormsNeedTheCsrfToken() throws Exception {
    mvc.perform(get(PAGE)).andExpect(status().is3xxRedirection());
    mvc.perform(post(PAGE + "/delete").param("confirm", "api").with(Users.developer("a")))
        .andExpect(status().isForbidden());
    verifyNoInteractions(services.tenant, services.runtime);
  }
}
