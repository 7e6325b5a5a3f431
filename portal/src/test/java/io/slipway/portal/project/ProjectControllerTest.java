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
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import io.slipway.kit.client.RuntimeBridge.ImageDeploy;
import io.slipway.kit.client.RuntimeBridge.Revision;
import io.slipway.kit.client.TenantViews.AppView;
import io.slipway.kit.client.TenantViews.NewApp;
import io.slipway.kit.client.TenantViews.Page;
import io.slipway.kit.client.TenantViews.ProjectQuotaView;
import io.slipway.kit.client.TenantViews.ProjectView;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.core.type.TypeReference;

@PortalSliceTest(ProjectController.class)
class ProjectControllerTest {

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
  }

  /** The project page as a developer sees it, with these apps and this quota. */
  private String projectPage(String apps, String quota) throws Exception {
    doReturn(answer("{'name':'web','displayName':'Web'}", ProjectView.class))
        .when(services.tenants)
        .projectView("acme", "web", FakeServices.BEARER);
    doReturn(answer(apps, new TypeReference<Page<AppView>>() {}))
        .when(services.tenants)
        .projectApps("acme", "web", 200, FakeServices.BEARER);
    doReturn(answer(quota, ProjectQuotaView.class))
        .when(services.tenants)
        .projectQuotaView("acme", "web", FakeServices.BEARER);
    return mvc.perform(get("/t/acme/p/web").with(Users.developer("a")))
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  @Test
  void theProjectPageListsAppsAndExplainsTheWaysToCreateOne() throws Exception {
    String page =
        projectPage(
            "{'items':[],'page':0,'size':200,'total':0}",
            "{'effective':{'cpuMillicores':1000,'apps':5},'used':{'cpuMillicores':250,'apps':0}}");
    assertThat(page)
        .contains("No apps yet", "an image you already have", "250 / 1000 millicores")
        .contains("<label for=\"port\">");
  }

  @Test
  void aVmAppIsListedAsAVirtualMachineAndTheVmFormIsOffered() throws Exception {
    String page =
        projectPage(
            "{'items':[{'name':'box','source':'vm'}],'page':0,'size':200,'total':1}",
            "{'effective':{},'used':{}}");
    assertThat(page)
        .contains("<td>virtual machine</td>", "Create a virtual machine")
        .contains("action=\"/t/acme/p/web/vms\"", "name=\"memoryMib\"", "name=\"userData\"");
  }

  @Test
  void anAppFromAnImageIsCreatedAndDeployedAtOnce() throws Exception {
    doReturn(answer("{'revision':1,'status':'live'}", Revision.class))
        .when(services.runtimes)
        .deploy(
            "acme", "web", "shop", new ImageDeploy("localhost/shop:1", 80), FakeServices.BEARER);
    mvc.perform(
            post("/t/acme/p/web/apps")
                .param("name", "shop")
                .param("source", "image")
                .param("sourceRef", " localhost/shop:1 ")
                .param("port", "80")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(redirectedUrl("/t/acme/p/web/a/shop"))
        .andExpect(flash().attribute("notice", "App shop created and localhost/shop:1 deployed."));
    verify(services.tenants)
        .createApp(
            "acme", "web", new NewApp("shop", "image", "localhost/shop:1"), FakeServices.BEARER);
  }

  @Test
  void anImageThatCannotBeDeployedLeavesTheAppAndSaysSo() throws Exception {
    doThrow(FakeServices.refusal(409, "quota-exceeded", "memoryMib 128 would exceed 0."))
        .when(services.runtimes)
        .deploy(
            "acme", "web", "shop", new ImageDeploy("localhost/shop:1", null), FakeServices.BEARER);
    mvc.perform(
            post("/t/acme/p/web/apps")
                .param("name", "shop")
                .param("source", "image")
                .param("sourceRef", "localhost/shop:1")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(redirectedUrl("/t/acme/p/web/a/shop"))
        .andExpect(
            flash()
                .attribute(
                    "error",
                    "App shop was created, but localhost/shop:1 was not deployed: memoryMib 128"
                        + " would exceed 0. Deploy it again from this page once that is fixed."));
  }

  @Test
  void anImageRefusedByThePolicyListsEveryReason() throws Exception {
    List<String> reasons =
        List.of("image is not signed by the platform key", "registry evil.example is not allowed");
    doThrow(
            FakeServices.refusal(
                422, "image-refused", "Image evil.example/x:1 was refused: ...", reasons))
        .when(services.runtimes)
        .deploy(
            "acme", "web", "shop", new ImageDeploy("evil.example/x:1", null), FakeServices.BEARER);
    mvc.perform(
            post("/t/acme/p/web/apps")
                .param("name", "shop")
                .param("source", "image")
                .param("sourceRef", "evil.example/x:1")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(redirectedUrl("/t/acme/p/web/a/shop"))
        .andExpect(
            flash()
                .attribute(
                    "error",
                    "App shop was created, but evil.example/x:1 was not deployed: the image policy"
                        + " refused it. Deploy it again from this page once that is fixed."))
        .andExpect(flash().attribute("reasons", reasons))
        .andExpect(flash().attribute("notice", org.hamcrest.Matchers.nullValue()));
  }

  @Test
  void anImageAppNeedsItsImageNamed() throws Exception {
    mvc.perform(
            post("/t/acme/p/web/apps")
                .param("name", "shop")
                .param("source", "image")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(redirectedUrl("/t/acme/p/web"))
        .andExpect(
            flash()
                .attribute(
                    "error", "Name the image to run, such as registry.example.com/team/shop:1.4."));
    verify(services.tenants, never()).createApp(any(), any(), any(), any());
    verifyNoInteractions(services.runtimes);
  }

  @Test
  void aHostedGitAppIsOnlyCreatedAndARefusalIsShown() throws Exception {
    mvc.perform(
            post("/t/acme/p/web/apps").param("name", "api").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl("/t/acme/p/web/a/api"));
    verify(services.tenants)
        .createApp("acme", "web", new NewApp("api", "hosted-git", null), FakeServices.BEARER);
    verifyNoInteractions(services.runtimes);

    doThrow(FakeServices.refusal(422, "invalid-name", "name 'Api' must be a DNS-1123 label"))
        .when(services.tenants)
        .createApp("acme", "web", new NewApp("Api", "hosted-git", null), FakeServices.BEARER);
    mvc.perform(
            post("/t/acme/p/web/apps").param("name", "Api").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl("/t/acme/p/web"))
        .andExpect(flash().attribute("error", "name 'Api' must be a DNS-1123 label"));
  }
}
