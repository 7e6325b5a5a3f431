package io.slipway.portal.app;

import static io.slipway.portal.web.FakeServices.BEARER;
import static io.slipway.portal.web.FakeServices.answer;
import static io.slipway.portal.web.FakeServices.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.kit.client.RuntimeBridge.Activation;
import io.slipway.kit.client.RuntimeBridge.ActivationPage;
import io.slipway.kit.client.RuntimeBridge.DeploymentsView;
import io.slipway.kit.client.RuntimeBridge.FunctionSetting;
import io.slipway.kit.client.RuntimeBridge.FunctionView;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

@PortalSliceTest({
  AppController.class,
  FunctionSettingsController.class,
  ActivationsController.class
})
class FunctionPagesControllerTest {

  static final String PAGE = "/t/acme/p/web/a/api";
  static final String LIST = PAGE + "/activations";
  static final String ID = "acaaaaaaaaaaaaaaaaaaaaaaaaaa";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void services() {
    services.clear();
    services.hostedApp();
    services.role("developer");
    doReturn(
            answer(
                "{'url':'http://api--web--acme.apps.localhost:8088','liveRevision':1,"
                    + "'stopped':false,'processes':[{'type':'web','command':null,'count':1,"
                    + "'running':1}],'revisions':[{'revision':1,'status':'live',"
                    + "'image':'img@sha256:1','replicas':1,'port':8080,"
                    + "'liveAt':'2026-12-07T01:00:00Z'}]}",
                DeploymentsView.class))
        .when(services.runtimes)
        .deploymentsView("acme", "web", "api", BEARER);
  }

  private void function(String runtime) {
    doReturn(
            answer(
                "{'timeoutSeconds':30,'runtime':"
                    + (runtime == null ? "null" : "'" + runtime + "'")
                    + "}",
                FunctionView.class))
        .when(services.runtimes)
        .function("acme", "web", "api", BEARER);
  }

  private String page(String path) throws Exception {
    return mvc.perform(get(path).with(Users.developer("alice")))
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  private static String activation(String id, String status, int http, long bytes, String logs) {
    return "{'id':'"
        + id
        + "','revision':1,'trigger':'http','startedAt':'2026-12-07T01:00:00Z','durationMs':"
        + (status.equals("timeout") ? 2004 : 12)
        + ",'status':'"
        + status
        + "','httpStatus':"
        + http
        + ",'resultBytes':"
        + bytes
        + ",'error':"
        + (status.equals("error") ? "'TypeError: no <b>cheese</b>'" : "null")
        + ",'logs':"
        + (logs == null ? "null" : "'" + logs + "'")
        + "}";
  }

  @Test
  void aFunctionsPageShowsItsBlockWithTheFormForDevelopersAndTheLimitToViewers() throws Exception {
    function("python");

    String page = page(PAGE);

    assertThat(page)
        .contains("href=\"#function\">Function</a>", "id=\"function-runtime\">python</dd>")
        .contains("id=\"function-url\">http://api--web--acme.apps.localhost:8088</code>")
        .contains("id=\"function-timeout\">30 s per invocation</dd>")
        .contains("action=\"/t/acme/p/web/a/api/function\"")
        .contains("name=\"timeoutSeconds\" type=\"number\" min=\"1\" max=\"300\"", "value=\"30\"")
        .contains("href=\"/t/acme/p/web/a/api/activations\"");

    services.role("viewer");
    String viewed = page(PAGE);
    assertThat(viewed)
        .contains("id=\"function-runtime\">python</dd>", "30 s per invocation")
        .doesNotContain("action=\"/t/acme/p/web/a/api/function\"");
  }

  @Test
  void anAppThatIsNotAFunctionHasNoBlockAndItsActivationsPageSaysSo() throws Exception {
    function(null);

    assertThat(page(PAGE)).doesNotContain("id=\"function\"", "href=\"#function\"");
    assertThat(page(LIST))
        .contains("<span>api</span> is not a function:", "href=\"/t/acme/p/web/a/api\">Back")
        .doesNotContain("<table");
    verify(services.runtimes, never())
        .activations(anyString(), anyString(), anyString(), anyInt(), any(), any(), anyString());
  }

  @Test
  void theTimeLimitIsSentAsANumberAndARefusalComesBackBesideTheFieldInPlainWords()
      throws Exception {
    mvc.perform(
            post(PAGE + "/function")
                .param("timeoutSeconds", " 45 ")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE + "#function"))
        .andExpect(
            flash()
                .attribute(
                    "notice", "Each invocation may now run for 45 s; a longer one times out."));
    verify(services.runtimes).setFunction("acme", "web", "api", new FunctionSetting(45), BEARER);

    for (String[] typed :
        new String[][] {
          {"", "Type the time limit in seconds."},
          {"soon", "The time limit is a whole number of seconds, such as 30."},
          {"1.5", "The time limit is a whole number of seconds, such as 30."},
          {"99999999999", "The time limit is a whole number of seconds, such as 30."}
        }) {
      mvc.perform(
              post(PAGE + "/function")
                  .param("timeoutSeconds", typed[0])
                  .with(csrf())
                  .with(Users.developer("a")))
          .andExpect(redirectedUrl(PAGE + "#function"))
          .andExpect(flash().attribute("functionError", typed[1]))
          .andExpect(flash().attribute("functionTimeout", typed[0]));
    }

    doThrow(refusal(400, "invalid-function-setting", "timeoutSeconds must be from 1 to 300, not 0"))
        .when(services.runtimes)
        .setFunction("acme", "web", "api", new FunctionSetting(0), BEARER);
    mvc.perform(
            post(PAGE + "/function")
                .param("timeoutSeconds", "0")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(
            flash()
                .attribute(
                    "functionError",
                    "The time limit was not changed: it must be from 1 to 300 seconds, not 0."))
        .andExpect(flash().attribute("functionTimeout", "0"));

    doThrow(refusal(403, "forbidden", "needs the developer role"))
        .when(services.runtimes)
        .setFunction("acme", "web", "api", new FunctionSetting(5), BEARER);
    mvc.perform(
            post(PAGE + "/function")
                .param("timeoutSeconds", "5")
                .with(csrf())
                .with(Users.developer("v")))
        .andExpect(
            flash()
                .attribute(
                    "functionError",
                    "The time limit was not changed: changing it needs the developer role in this"
                        + " tenant."));
  }

  @Test
  void theErrorShowsBesideTheFieldWithWhatWasTyped() throws Exception {
    function("node");
    String page =
        mvc.perform(
                get(PAGE)
                    .flashAttr("functionError", "The time limit was not changed: it must be from")
                    .flashAttr("functionTimeout", "301")
                    .with(Users.developer("alice")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("value=\"301\"", "aria-invalid=\"true\"")
        .contains("id=\"function-error\">The time limit was not changed: it must be from</p>");
  }

  @Test
  void aPostWithoutTheCsrfTokenChangesNothing() throws Exception {
    mvc.perform(post(PAGE + "/function").param("timeoutSeconds", "5").with(Users.developer("a")))
        .andExpect(status().isForbidden());
    verifyNoInteractions(services.runtimes);
  }

  @Test
  void theActivationsAreListedNewestFirstWithEachStatusApartAndOlderOnesAPageOn() throws Exception {
    function("node");
    String second = "acbbbbbbbbbbbbbbbbbbbbbbbbbb";
    String third = "accccccccccccccccccccccccccc";
    doReturn(
            answer(
                "{'activations':["
                    + activation(ID, "success", 200, 2048, null)
                    + ","
                    + activation(second, "error", 502, 0, null)
                    + ","
                    + activation(third, "timeout", 504, 0, null)
                    + "],'next':'"
                    + third
                    + "'}",
                ActivationPage.class))
        .when(services.runtimes)
        .activations("acme", "web", "api", ActivationsController.PAGE_SIZE, null, null, BEARER);

    String page = page(LIST);

    assertThat(page)
        .containsSubsequence(
            "href=\"/t/acme/p/web/a/api/activations/" + ID + "\"",
            "12 ms",
            "class=\"badge succeeded\">success</span>",
            "HTTP 200",
            "<td>http</td>",
            "<td>2.0 KiB</td>",
            "data-activation=\"" + second + "\"",
            "class=\"badge failed\">error</span>",
            "HTTP 502",
            "<td>0 B</td>",
            "data-activation=\"" + third + "\"",
            "2.0 s",
            "class=\"badge timeout\">timeout</span>",
            "HTTP 504")
        .contains("id=\"older\" href=\"/t/acme/p/web/a/api/activations?before=" + third + "\"")
        .doesNotContain("id=\"newest\"", "No activations yet");

    // the older page, and the way back to the newest
    doReturn(answer("{'activations':[],'next':null}", ActivationPage.class))
        .when(services.runtimes)
        .activations("acme", "web", "api", ActivationsController.PAGE_SIZE, third, null, BEARER);
    assertThat(page(LIST + "?before=" + third))
        .contains("No older activations.", "id=\"newest\" href=\"/t/acme/p/web/a/api/activations\"")
        .doesNotContain("id=\"older\"", "curl -i");
  }

  @Test
  void theFilterLinksShowOneStatusAndTheFilterIsKeptAcrossOlderAndNewest() throws Exception {
    function("node");
    String second = "acbbbbbbbbbbbbbbbbbbbbbbbbbb";
    doReturn(
            answer(
                "{'activations':["
                    + activation(ID, "error", 502, 0, null)
                    + ","
                    + activation(second, "error", 502, 0, null)
                    + "],'next':'"
                    + second
                    + "'}",
                ActivationPage.class))
        .when(services.runtimes)
        .activations("acme", "web", "api", ActivationsController.PAGE_SIZE, null, "error", BEARER);

    String errors = page(LIST + "?status=error");

    assertThat(errors)
        .contains("id=\"filter-all\" href=\"/t/acme/p/web/a/api/activations\">All</a>")
        .contains(
            "id=\"filter-error\" href=\"/t/acme/p/web/a/api/activations?status=error\""
                + " aria-current=\"page\">Errors</a>")
        .contains(
            "id=\"filter-timeout\" href=\"/t/acme/p/web/a/api/activations?status=timeout\""
                + ">Timeouts</a>")
        .containsSubsequence("data-activation=\"" + ID + "\"", "data-activation=\"" + second + "\"")
        .contains(
            "id=\"older\" href=\"/t/acme/p/web/a/api/activations?before="
                + second
                + "&amp;status=error\"");

    // the older page of errors, and the way back to the newest errors
    doReturn(answer("{'activations':[],'next':null}", ActivationPage.class))
        .when(services.runtimes)
        .activations(
            "acme", "web", "api", ActivationsController.PAGE_SIZE, second, "error", BEARER);
    assertThat(page(LIST + "?status=error&before=" + second))
        .contains("No older activations.")
        .contains("id=\"newest\" href=\"/t/acme/p/web/a/api/activations?status=error\"");

    // no timeouts: said so, with the way back to all of them
    doReturn(answer("{'activations':[],'next':null}", ActivationPage.class))
        .when(services.runtimes)
        .activations(
            "acme", "web", "api", ActivationsController.PAGE_SIZE, null, "timeout", BEARER);
    assertThat(page(LIST + "?status=timeout"))
        .contains("None of the activations kept\n          has the status <span>timeout</span>.")
        .contains("aria-current=\"page\">Timeouts</a>")
        .doesNotContain("No activations yet", "curl -i");
  }

  @Test
  void anUnknownStatusIsRefusedWithoutAskingTheRuntime() throws Exception {
    mvc.perform(get(LIST + "?status=%3Cscript%3E").with(Users.developer("alice")))
        .andExpect(status().isBadRequest());
    verifyNoInteractions(services.runtimes);
  }

  @Test
  void noActivationsYetTellsHowToInvokeTheFunction() throws Exception {
    function("node");
    doReturn(answer("{'activations':[],'next':null}", ActivationPage.class))
        .when(services.runtimes)
        .activations("acme", "web", "api", ActivationsController.PAGE_SIZE, null, null, BEARER);

    assertThat(page(LIST))
        .contains("No activations yet.")
        .contains("id=\"invoke-command\">curl -i http://api--web--acme.apps.localhost:8088</code>");
  }

  @Test
  void aBeforeThatIsNoActivationIdIsRefusedWithoutAskingTheRuntime() throws Exception {
    mvc.perform(get(LIST + "?before=ac'%3Cx").with(Users.developer("alice")))
        .andExpect(status().isBadRequest());
    verifyNoInteractions(services.runtimes);
  }

  @Test
  void anActivationsPageShowsItsLogsEscapedAndItsError() throws Exception {
    doReturn(
            answer(
                activation(ID, "error", 502, 0, "<script>x</script>\\nline 2\\n"),
                Activation.class))
        .when(services.runtimes)
        .activation("acme", "web", "api", ID, BEARER);

    String page = page(LIST + "/" + ID);

    assertThat(page)
        .contains("id=\"activation-status\">error</span>", "id=\"activation-http\">HTTP 502</dd>")
        .contains("id=\"activation-duration\">12 ms</dd>", "id=\"activation-result-size\">0 B</dd>")
        .contains("TypeError: no &lt;b&gt;cheese&lt;/b&gt;")
        .contains("tabindex=\"0\">&lt;script&gt;x&lt;/script&gt;\nline 2</pre>")
        .doesNotContain("<script>x", "<b>cheese");
  }

  @Test
  void anotherTenantsAppOrActivationIsNotFound() throws Exception {
    doThrow(refusal(404, "not-found", "App api was not found"))
        .when(services.runtimes)
        .function("acme", "web", "api", BEARER);
    doThrow(refusal(404, "not-found", "Activation " + ID + " was not found"))
        .when(services.runtimes)
        .activation("acme", "web", "api", ID, BEARER);

    for (String path : new String[] {LIST, LIST + "/" + ID}) {
      mvc.perform(get(path).with(Users.developer("mallory"))).andExpect(status().isNotFound());
    }
    // what is not an activation id is no page at all
    mvc.perform(get(LIST + "/AC0123").with(Users.developer("mallory")))
        .andExpect(status().isNotFound());
  }
}
