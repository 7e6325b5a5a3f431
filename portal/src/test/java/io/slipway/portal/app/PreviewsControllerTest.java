package io.slipway.portal.app;

import static io.slipway.portal.web.FakeServices.BEARER;
import static io.slipway.portal.web.FakeServices.answer;
import static io.slipway.portal.web.FakeServices.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.kit.client.AppBuilds.BuildPage;
import io.slipway.kit.client.RuntimeBridge.DeploymentsView;
import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantService.Preview;
import io.slipway.kit.client.TenantViews.Page;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.core.type.TypeReference;

@PortalSliceTest({AppController.class, PreviewsController.class})
class PreviewsControllerTest {

  static final String PAGE = "/t/acme/p/web/a/api";
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void services() {
    services.clear();
    services.hostedApp();
    services.role("developer");
  }

  /** tenant-service's record of preview {@code name} of {@code api}, as it answers. */
  private static String preview(String name, Integer pullRequest, String createdBy) {
    String created = Instant.now().minus(2, ChronoUnit.HOURS).toString();
    return "{'name':'"
        + name
        + "','app':'"
        + name
        + "--api','appId':'a"
        + name
        + "','parent':'api','hostLabel':'"
        + name
        + "--api--web--acme','pullRequest':"
        + pullRequest
        + ",'branch':'"
        + (pullRequest == null ? "preview/" + name : "feature-cheese")
        + "','commit':'"
        + SHA
        + "','createdAt':'"
        + created
        + "','createdBy':'"
        + createdBy
        + "','updatedAt':'"
        + created
        + "'}";
  }

  private void previews(String... previews) {
    doReturn(
            answer(
                "{'items':["
                    + String.join(",", previews)
                    + "],'page':0,'size':20,'total':"
                    + previews.length
                    + "}",
                new TypeReference<Page<Preview>>() {}))
        .when(services.tenants)
        .previews("acme", "web", "api", AppPreviews.SHOWN, BEARER);
  }

  private void live(String app) {
    String liveAt = Instant.now().minus(30, ChronoUnit.MINUTES).toString();
    doReturn(
            answer(
                "{'url':'http://"
                    + app
                    + "--web--acme.apps.localhost:8088','liveRevision':1,'stopped':false,"
                    + "'processes':[],'revisions':[{'revision':1,'status':'live',"
                    + "'image':'img@sha256:1','replicas':1,'port':8080,'liveAt':'"
                    + liveAt
                    + "'}]}",
                DeploymentsView.class))
        .when(services.runtimes)
        .deploymentsView("acme", "web", app, BEARER);
  }

  private void newestBuild(String app, String status, boolean fork) {
    doReturn(
            answer(
                "{'items':[{'number':1,'commitId':'"
                    + SHA
                    + "','status':'"
                    + status
                    + "','pushedBy':'alice','fork':"
                    + fork
                    + "}],'page':0,'size':1,'total':1}",
                BuildPage.class))
        .when(services.appBuilds)
        .builds("acme", "web", app, 1, BEARER);
  }

  private String page(String path) throws Exception {
    return mvc.perform(get(path).with(Users.developer("alice")))
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  @Test
  void eachPreviewIsListedWithItsNameStageCommitUrlAgeAndMaker() throws Exception {
    previews(
        preview("pr-12", 12, "github webhook (octocat)"),
        preview("feature-x", null, "alice"),
        preview("broken", null, "bob"),
        preview("dark", null, "carol"));
    live("pr-12--api");
    newestBuild("pr-12--api", "succeeded", true);
    newestBuild("feature-x--api", "running", false);
    newestBuild("broken--api", "failed", false);
    doThrow(refusal(503, "unavailable", "runtime-bridge is busy"))
        .when(services.runtimes)
        .deploymentsView("acme", "web", "dark--api", BEARER);

    String page = page(PAGE);

    assertThat(page).contains("href=\"#previews\">Previews</a>");
    assertThat(row(page, "pr-12"))
        .contains("href=\"/t/acme/p/web/a/pr-12--api\">PR #12</a>")
        .contains("class=\"badge fork\"", "class=\"badge live\">live</span>")
        .contains("<code>feature-cheese</code>", ">0123456</code>")
        .contains("href=\"http://pr-12--api--web--acme.apps.localhost:8088\"")
        .contains(">2 hours ago</time>", ">30 minutes ago</time>")
        .contains("<td>github webhook (octocat)</td>")
        .contains("action=\"/t/acme/p/web/a/api/previews/pr-12/delete\"", "pattern=\"pr-12\"");
    assertThat(row(page, "feature-x"))
        .contains(">preview/feature-x</a>", "class=\"badge deploying\">building</span>")
        .contains("<td>alice</td>", ">not yet</span>")
        .doesNotContain("class=\"badge fork\"", "href=\"http://");
    assertThat(row(page, "broken")).contains("class=\"badge failed\">failed</span>");
    assertThat(row(page, "dark")).contains(">unknown</span>");
  }

  @Test
  void aViewerReadsThePreviewsWithoutADeleteForm() throws Exception {
    services.role("viewer");
    previews(preview("feature-x", null, "alice"));

    String page = page(PAGE);

    assertThat(row(page, "feature-x")).contains(">preview/feature-x</a>", "not deployed yet");
    assertThat(page).doesNotContain("/previews/feature-x/delete", "Delete preview");
  }

  @Test
  void withNoPreviewTheAppPageSaysHowToMakeOne() throws Exception {
    previews();

    assertThat(page(PAGE))
        .contains("id=\"previews-none\"", "No previews.")
        .contains("id=\"preview-command\">git push slipway HEAD:preview/feature-x</code>")
        .doesNotContain("data-preview=");

    services.externalGitApp();
    assertThat(page(PAGE))
        .contains("pr-&lt;number&gt;</code>, from the webhook", "pull request (GitLab: merge")
        .doesNotContain("id=\"preview-command\"");
  }

  @Test
  void anImageAppHasNoPreviews() throws Exception {
    doReturn(answer("{'name':'api','source':'image'}", TenantService.App.class))
        .when(services.tenants)
        .app("acme", "web", "api", BEARER);

    assertThat(page(PAGE)).doesNotContain("id=\"previews\"", "href=\"#previews\"");
    verify(services.tenants, never())
        .previews(anyString(), anyString(), anyString(), anyInt(), anyString());
  }

  @Test
  void aPreviewsOwnPageIsTheAppPageOfItsAppWithWhatItPreviewsAndItsOwnDelete() throws Exception {
    doReturn(
            answer(
                "{'name':'feature-x--api','source':'hosted-git','parent':'api'}",
                TenantService.App.class))
        .when(services.tenants)
        .app("acme", "web", "feature-x--api", BEARER);
    doReturn(answer(preview("feature-x", null, "alice"), Preview.class))
        .when(services.tenants)
        .preview("acme", "web", "api", "feature-x", BEARER);

    String page = page("/t/acme/p/web/a/feature-x--api");

    assertThat(page)
        .contains("Preview <span>feature-x</span> of")
        .contains("href=\"/t/acme/p/web/a/api#previews\">api</a>")
        .contains("id=\"preview-source\">branch preview/feature-x</dd>")
        .contains("id=\"preview-by\">alice</dd>")
        .contains(
            "git remote add slipway http://127.0.0.1:8082/git/acme/web/api.git\n"
                + "git push slipway HEAD:preview/feature-x")
        .contains("action=\"/t/acme/p/web/a/api/previews/feature-x/delete\"", "Delete this preview")
        .doesNotContain("Delete this app", "id=\"previews\"");
    verify(services.tenants, never())
        .previews(anyString(), anyString(), anyString(), anyInt(), anyString());
  }

  @Test
  void deletingTakesTheNameTypedThenStopsItAndDeletesItsRecord() throws Exception {
    doReturn(answer(preview("feature-x", null, "alice"), Preview.class))
        .when(services.tenants)
        .preview("acme", "web", "api", "feature-x", BEARER);

    mvc.perform(delete("feature-x", "feature-y"))
        .andExpect(redirectedUrl(PAGE + "#previews"))
        .andExpect(
            flash()
                .attribute(
                    "error",
                    "Type the preview's name, feature-x, to confirm that it should be deleted."));
    verifyNoInteractions(services.runtimes);
    verify(services.tenants, never())
        .deletePreview(anyString(), anyString(), anyString(), anyString(), anyString());

    mvc.perform(delete("feature-x", " feature-x "))
        .andExpect(redirectedUrl(PAGE + "#previews"))
        .andExpect(
            flash()
                .attribute(
                    "notice",
                    "Preview feature-x deleted: its containers and route are gone, its builds and"
                        + " images follow."));
    InOrder order = inOrder(services.runtimes, services.tenants);
    order.verify(services.runtimes).delete("acme", "web", "feature-x--api", BEARER);
    order.verify(services.tenants).deletePreview("acme", "web", "api", "feature-x", BEARER);
  }

  @Test
  void aViewersDeleteIsRefusedInPlainWordsAndDeletesNothing() throws Exception {
    doReturn(answer(preview("feature-x", null, "alice"), Preview.class))
        .when(services.tenants)
        .preview("acme", "web", "api", "feature-x", BEARER);
    doThrow(refusal(403, "forbidden", "This needs the developer role in tenant acme"))
        .when(services.runtimes)
        .delete("acme", "web", "feature-x--api", BEARER);

    mvc.perform(delete("feature-x", "feature-x"))
        .andExpect(redirectedUrl(PAGE + "#previews"))
        .andExpect(
            flash()
                .attribute(
                    "error",
                    "The preview was not deleted: deleting a preview needs the developer role in"
                        + " this tenant."));
    verify(services.tenants, never())
        .deletePreview(anyString(), anyString(), anyString(), anyString(), anyString());
  }

  @Test
  void anotherTenantsAppAndPreviewAreTheNotFoundPageWithNoHint() throws Exception {
    // tenant-service answers 404 for everything of a tenant the user is not in
    for (String path : List.of("/t/other/p/web/a/api", "/t/other/p/web/a/feature-x--api")) {
      String body =
          mvc.perform(get(path).with(Users.developer("mallory")))
              .andExpect(status().isNotFound())
              .andReturn()
              .getResponse()
              .getContentAsString();
      assertThat(body).as(path).doesNotContain("feature-x", "Previews");
    }
    mvc.perform(
            post("/t/other/p/web/a/api/previews/feature-x/delete")
                .param("confirm", "feature-x")
                .with(csrf())
                .with(Users.developer("mallory")))
        .andExpect(status().isNotFound());
    verifyNoInteractions(services.runtimes);
    verify(services.tenants, never())
        .deletePreview(anyString(), anyString(), anyString(), anyString(), anyString());
  }

  @Test
  void aDeleteWithoutTheFormsTokenIsRefused() throws Exception {
    mvc.perform(
            post(PAGE + "/previews/feature-x/delete")
                .param("confirm", "feature-x")
                .with(Users.developer("alice")))
        .andExpect(status().isForbidden());
    verifyNoInteractions(services.runtimes);
  }

  private static org.springframework.test.web.servlet.RequestBuilder delete(
      String preview, String confirm) {
    return post(PAGE + "/previews/" + preview + "/delete")
        .param("confirm", confirm)
        .with(csrf())
        .with(Users.developer("alice"));
  }

  /** The table row of preview {@code name}. */
  private static String row(String page, String name) {
    int start = page.indexOf("data-preview=\"" + name + "\"");
    assertThat(start).as("a row for " + name).isPositive();
    return page.substring(start, page.indexOf("</tr>", start));
  }
}
