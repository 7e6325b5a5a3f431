package io.slipway.portal.project;

import static io.slipway.portal.web.FakeServices.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import io.slipway.kit.client.RuntimeBridge.NewVm;
import io.slipway.kit.client.RuntimeBridge.VmView;
import io.slipway.kit.client.TenantViews.NewApp;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@PortalSliceTest(NewVmController.class)
class NewVmControllerTest {

  private static final String USER_DATA = "#cloud-config\nruncmd:\n  - busybox httpd -p 8080\n";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
  }

  private static MockHttpServletRequestBuilder form(String ports, String httpPort) {
    return post("/t/acme/p/web/vms")
        .param("name", "box")
        .param("vcpus", "1")
        .param("memoryMib", "512")
        .param("ports", ports)
        .param("httpPort", httpPort)
        .param("dataDiskMib", "1024")
        .param("userData", USER_DATA)
        .with(csrf())
        .with(Users.developer("a"));
  }

  @Test
  void aVmAppIsMadeThenItsVmAndThePageOpensOnItsConsole() throws Exception {
    NewVm vm = new NewVm(1, 512, null, USER_DATA, List.of(22, 8080), 8080, 1024);
    doReturn(
            answer(
                "{'vcpus':1,'memoryMib':512,'userDataBytes':47,'state':'RUNNING','ready':false}",
                VmView.class))
        .when(services.runtimes)
        .createVm("acme", "web", "box", vm, FakeServices.BEARER);
    mvc.perform(form(" 22, 8080 ", "8080"))
        .andExpect(redirectedUrl("/t/acme/p/web/a/box#vm"))
        .andExpect(
            flash().attribute("notice", "VM box created and booting: its console shows the boot."));
    verify(services.tenants)
        .createApp("acme", "web", new NewApp("box", "vm", null), FakeServices.BEARER);
    verify(services.runtimes).createVm("acme", "web", "box", vm, FakeServices.BEARER);
  }

  @Test
  void theHttpPortIsExposedEvenWhenNotListed() throws Exception {
    mvc.perform(form("22", "8080")).andExpect(redirectedUrl("/t/acme/p/web/a/box#vm"));
    verify(services.runtimes)
        .createVm(
            "acme",
            "web",
            "box",
            new NewVm(1, 512, null, USER_DATA, List.of(22, 8080), 8080, 1024),
            FakeServices.BEARER);
  }

  @Test
  void portsThatAreNoNumbersAreRefusedBeforeAnythingIsMade() throws Exception {
    mvc.perform(form("22, ssh", ""))
        .andExpect(redirectedUrl("/t/acme/p/web#new-vm"))
        .andExpect(
            flash()
                .attribute(
                    "error", "Ports are TCP port numbers separated by commas, such as 22, 8080."))
        .andExpect(
            flash()
                .attribute(
                    "vmTyped",
                    new NewVmController.Typed("box", 1, 512, "22, ssh", null, 1024, USER_DATA)));
    verify(services.tenants, never()).createApp(any(), any(), any(), any());
    verifyNoInteractions(services.runtimes);
  }

  @Test
  void aRefusedVmTakesItsAppWithItAndSaysWhy() throws Exception {
    doThrow(
            FakeServices.refusal(
                409, "quota-exceeded", "memoryMib 768 would exceed the project's 512."))
        .when(services.runtimes)
        .createVm(any(), any(), any(), any(), any());
    mvc.perform(form("", ""))
        .andExpect(redirectedUrl("/t/acme/p/web#new-vm"))
        .andExpect(
            flash()
                .attribute(
                    "error", "VM box was not made: memoryMib 768 would exceed the project's 512."));
    verify(services.tenants).deleteApp("acme", "web", "box", FakeServices.BEARER);
  }

  @Test
  void anAppTheCatalogRefusesMakesNoVm() throws Exception {
    doThrow(FakeServices.refusal(409, "already-exists", "App 'acme/web/box' already exists"))
        .when(services.tenants)
        .createApp("acme", "web", new NewApp("box", "vm", null), FakeServices.BEARER);
    mvc.perform(form("", ""))
        .andExpect(redirectedUrl("/t/acme/p/web#new-vm"))
        .andExpect(flash().attribute("error", "App 'acme/web/box' already exists"));
    verifyNoInteractions(services.runtimes);
    verify(services.tenants, never()).deleteApp(any(), any(), any(), any());
  }

  @Test
  void portsParseCommasAndSpaces() {
    assertThat(NewVmController.ports("")).isEmpty();
    assertThat(NewVmController.ports(" 22 8080,443 ")).containsExactly(22, 8080, 443);
    assertThat(NewVmController.ports("22,-1")).isNull();
    assertThat(NewVmController.ports("123456")).isNull();
  }
}
