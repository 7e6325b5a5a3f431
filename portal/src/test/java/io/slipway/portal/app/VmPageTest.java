package io.slipway.portal.app;

import static io.slipway.portal.web.FakeServices.BEARER;
import static io.slipway.portal.web.FakeServices.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.kit.client.RuntimeBridge.VmView;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The page of an app that is a VM: its state, start, stop and restart for a developer (CSRF-checked
 * forms), its URL, and its serial console, read-only for a viewer; the console's WebSocket opens
 * only from the portal's own pages.
 */
@PortalSliceTest({AppController.class, VmController.class, VmConsoleProxy.class})
class VmPageTest {

  static final String PAGE = "/t/acme/p/web/a/api";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void services() {
    services.clear();
    services.hostedApp();
  }

  @Test
  void aDeveloperSeesTheVmItsButtonsAndItsConsole() throws Exception {
    services.role("developer");
    vm("RUNNING", true);

    String page = page();

    assertThat(page)
        .contains("Virtual machine", "id=\"vm-state\"", ">Running<", "1 vCPU, 256 MiB")
        .contains("localhost/slipway/vm/debian:1", "TCG", "4.3 s of uptime", "22, 8080")
        .contains("1024 MiB at /data")
        .contains("href=\"http://api--web--acme.apps.localhost:8088\"")
        .contains("data-console=\"/t/acme/p/web/a/api/vm/console\"")
        .contains("/webjars/xterm/4.9.0/lib/xterm.js", "/assets/vm-console.js")
        .contains("name=\"action\" value=\"stop\"", "name=\"action\" value=\"restart\"")
        .doesNotContain("name=\"action\" value=\"start\"", "Not deployed yet");
    // what is a container app's only (deploys, jobs, runs, variables, logs) is not offered
    assertThat(page)
        .doesNotContain("id=\"history\"", "id=\"run-command\"", "id=\"environment\"")
        .doesNotContain("id=\"logs\"", "href=\"#status\"");
    assertThat(formActions(page))
        .contains(PAGE + "/vm", PAGE + "/domains", PAGE + "/delete")
        .doesNotContain(PAGE + "/deploy", PAGE + "/runs", PAGE + "/env", PAGE + "/stop");
  }

  @Test
  void aViewerWatchesTheConsoleAndIsOfferedNoButton() throws Exception {
    services.role("viewer");
    vm("RUNNING", true);

    String page = page();

    assertThat(page)
        .contains("data-console=\"/t/acme/p/web/a/api/vm/console\"")
        .contains("Read-only: you watch the console");
    assertThat(formActions(page)).containsExactly("/logout");
  }

  @Test
  void aStoppedVmOffersStartAndNoConsole() throws Exception {
    services.role("developer");
    vm("STOPPED", false);

    assertThat(page())
        .contains(">Stopped<", "name=\"action\" value=\"start\"")
        .contains("The VM is stopped: start it to use its console.")
        .doesNotContain("data-console=", "value=\"stop\"");
  }

  @Test
  void anAppThatIsNoVmShowsNoVmSection() throws Exception {
    services.role("developer");
    assertThat(page()).doesNotContain("Virtual machine", "data-console=");
  }

  @Test
  void startStopAndRestartAskRuntimeBridgeWithTheCsrfToken() throws Exception {
    for (String action : List.of("start", "stop", "restart")) {
      mvc.perform(
              post(PAGE + "/vm")
                  .param("action", action)
                  .with(csrf())
                  .with(Users.developer("alice")))
          .andExpect(redirectedUrl(PAGE + "#vm"))
          .andExpect(flash().attributeExists("notice"));
    }
    verify(services.runtimes).startVm("acme", "web", "api", BEARER);
    verify(services.runtimes).stopVm("acme", "web", "api", BEARER);
    verify(services.runtimes).restartVm("acme", "web", "api", BEARER);
  }

  @Test
  void withoutTheCsrfTokenNothingIsAsked() throws Exception {
    mvc.perform(post(PAGE + "/vm").param("action", "stop").with(Users.developer("alice")))
        .andExpect(status().isForbidden());
    verifyNoInteractions(services.runtimes);
  }

  @Test
  void aRefusalIsShownInRuntimeBridgesWords() throws Exception {
    doThrow(FakeServices.refusal(409, "quota-exceeded", "quota for cpuMillicores is 1000"))
        .when(services.runtimes)
        .startVm("acme", "web", "api", BEARER);
    mvc.perform(post(PAGE + "/vm").param("action", "start").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE + "#vm"))
        .andExpect(flash().attribute("error", "quota for cpuMillicores is 1000"));
  }

  @Test
  void anotherSitesPageCannotOpenTheConsole() throws Exception {
    mvc.perform(
            get(PAGE + "/vm/console")
                .header("Origin", "https://evil.example")
                .header("Upgrade", "websocket")
                .header("Connection", "Upgrade")
                .with(Users.developer("alice")))
        .andExpect(status().isForbidden());
    verifyNoInteractions(services.runtimes);
  }

  private void vm(String state, boolean ready) {
    doReturn(
            answer(
                "{'vcpus':1,'memoryMib':256,'image':'localhost/slipway/vm/debian:1',"
                    + "'userDataBytes':0,'ports':[22,8080],'httpPort':8080,'dataDiskMib':1024,"
                    + "'url':'http://api--web--acme.apps.localhost:8088','desired':'"
                    + state
                    + "','state':'"
                    + state
                    + "','accelerator':"
                    + (ready ? "'TCG'" : "null")
                    + ",'ready':"
                    + ready
                    + ",'readyAfterSeconds':"
                    + (ready ? "4.3" : "null")
                    + ",'addresses':[]}",
                VmView.class))
        .when(services.runtimes)
        .vm("acme", "web", "api", BEARER);
  }

  private String page() throws Exception {
    return mvc.perform(get(PAGE).with(Users.developer("alice")))
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  private static List<String> formActions(String page) {
    return Pattern.compile("<form[^>]* action=\"([^\"]+)\"")
        .matcher(page)
        .results()
        .map(m -> m.group(1))
        .toList();
  }
}
