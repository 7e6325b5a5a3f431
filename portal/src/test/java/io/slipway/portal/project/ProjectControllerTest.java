package io.slipway.portal.project;

import static io.slipway.portal.web.FakeServices.reads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
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

import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.ServiceProblem;
import io.slipway.portal.web.Users;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

@PortalSliceTest(ProjectController.class)
class ProjectControllerTest {

  static final String APPS = "/api/v1/tenants/{t}/projects/{p}/apps";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
  }

  @Test
  void theProjectPageListsAppsAndExplainsTheWaysToCreateOne() throws Exception {
    reads(
        services.tenant,
        "{'name':'web','displayName':'Web'}",
        "/api/v1/tenants/{t}/projects/{p}",
        "acme",
        "web");
    reads(services.tenant, "{'items':[]}", APPS + "?size=200", "acme", "web");
    reads(
        services.tenant,
        "{'effective':{'cpuMillicores':1000,'apps':5},'used':{'cpuMillicores':250,'apps':0}}",
        "/api/v1/tenants/{t}/projects/{p}/quota",
        "acme",
        "web");
    String page =
        mvc.perform(get("/t/acme/p/web").with(Users.developer("a")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("No apps yet", "an image you already have", "250 / 1000 millicores")
        .contains("<label for=\"port\">");
  }

  @Test
  void anAppFromAnImageIsCreatedAndDeployedAtOnce() throws Exception {
    doReturn(FakeServices.json("{'revision':1,'status':'live'}"))
        .when(services.runtime)
        .post(
            Map.of("image", "localhost/shop:1", "port", 80),
            APPS + "/{a}/deployments",
            "acme",
            "web",
            "shop");
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
    verify(services.tenant)
        .post(
            Map.of("name", "shop", "source", "image", "sourceRef", "localhost/shop:1"),
            APPS,
            "acme",
            "web");
  }

  @Test
  void anImageThatCannotBeDeployedLeavesTheAppAndSaysSo() throws Exception {
    doThrow(new ServiceProblem(409, "quota-exceeded", "memoryMib 128 would exceed 0."))
        .when(services.runtime)
        .post(
            Map.of("image", "localhost/shop:1"), APPS + "/{a}/deployments", "acme", "web", "shop");
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
            new ServiceProblem(
                422, "image-refused", "Image evil.example/x:1 was refused: ...", reasons))
        .when(services.runtime)
        .post(
            Map.of("image", "evil.example/x:1"), APPS + "/{a}/deployments", "acme", "web", "shop");
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
    verify(services.tenant, never()).post(any(), anyString(), any(Object[].class));
    verifyNoInteractions(services.runtime);
  }

  @Test
  void aHostedGitAppIsOnlyCreatedAndARefusalIsShown() throws Exception {
    mvc.perform(
            post("/t/acme/p/web/apps").param("name", "api").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl("/t/acme/p/web/a/api"));
    verify(services.tenant)
        .post(Map.of("name", "api", "source", "hosted-git"), APPS, "acme", "web");
    verifyNoInteractions(services.runtime);

    doThrow(new ServiceProblem(422, "invalid-name", "name 'Api' must be a DNS-1123 label"))
        .when(services.tenant)
        .post(Map.of("name", "Api", "source", "hosted-git"), APPS, "acme", "web");
    mvc.perform(
            post("/t/acme/p/web/apps").param("name", "Api").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl("/t/acme/p/web"))
        .andExpect(flash().attribute("error", "name 'Api' must be a DNS-1123 label"));
  }
}
