package io.slipway.portal.app;

import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

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

@PortalSliceTest(AppOperationsController.class)
class AppOperationsControllerTest {

  static final String PAGE = "/t/acme/p/web/a/api";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
  }

  @Test
  void stopStartAndRestartAskRuntimeBridgeAndSayWhatHappened() throws Exception {
    for (String[] op :
        new String[][] {
          {"stop", "Stopped. Its URL answers again once you start it."},
          {"start", "Started."},
          {"restart", "Restarted: every instance was replaced."}
        }) {
      mvc.perform(post(PAGE + "/" + op[0]).with(csrf()).with(Users.developer("alice")))
          .andExpect(redirectedUrl(PAGE))
          .andExpect(flash().attribute("notice", op[1]));
      verify(services.runtime).post(Map.of(), AppRef.API + "/" + op[0], "acme", "web", "api");
    }
  }

  @Test
  void aRefusalIsShownInTheServicesOwnWords() throws Exception {
    doThrow(
            new ServiceProblem(
                409, "quota-exceeded", "replicas 4 would exceed the tenant's quota of 3"))
        .when(services.runtime)
        .post(Map.of("replicas", 4), AppRef.API + "/scale", "acme", "web", "api");
    mvc.perform(
            post(PAGE + "/scale").param("replicas", "4").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(flash().attribute("error", "replicas 4 would exceed the tenant's quota of 3"));
  }

  @Test
  void aProcessTypeIsScaledByName() throws Exception {
    mvc.perform(
            post(PAGE + "/scale")
                .param("replicas", "2")
                .param("type", "worker")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(flash().attribute("notice", "Scaled worker to 2 instances."));
    verify(services.runtime)
        .post(Map.of("replicas", 2, "type", "worker"), AppRef.API + "/scale", "acme", "web", "api");
  }

  @Test
  void aDeployRefusedByTheImagePolicyFlashesItsReasons() throws Exception {
    List<String> reasons = List.of("image is not signed by the platform key");
    doThrow(
            new ServiceProblem(
                422,
                "image-refused",
                "Image x:1 was refused by the image policy: image is not signed by the platform key",
                reasons))
        .when(services.runtime)
        .post(Map.of("image", "x:1"), AppRef.API + "/deployments", "acme", "web", "api");
    mvc.perform(
            post(PAGE + "/deploy").param("image", "x:1").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(flash().attribute("error", "Image x:1 was refused by the image policy:"))
        .andExpect(flash().attribute("reasons", reasons));
  }

  @Test
  void rollbackNamesTheRevision() throws Exception {
    mvc.perform(
            post(PAGE + "/rollback").param("revision", "2").with(csrf()).with(Users.developer("a")))
        .andExpect(flash().attribute("notice", "Rolled back to revision 2."));
    verify(services.runtime)
        .post(Map.of("revision", 2), AppRef.API + "/rollback", "acme", "web", "api");
  }

  @Test
  void anImageIsDeployedAndAFailedDeployIsExplained() throws Exception {
    doReturn(
            FakeServices.json(
                "{'revision':3,'status':'failed','reason':'exit code 1: no such file'}"))
        .when(services.runtime)
        .post(
            Map.of("image", "localhost/shop:2"), AppRef.API + "/deployments", "acme", "web", "api");
    mvc.perform(
            post(PAGE + "/deploy")
                .param("image", " localhost/shop:2 ")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(flash().attribute("error", "The deploy failed: exit code 1: no such file"));
  }

  @Test
  void unknownOperationsAreNotFoundAndNeverReachAService() throws Exception {
    mvc.perform(post(PAGE + "/explode").with(csrf()).with(Users.developer("a")))
        .andExpect(status().isNotFound());
    verifyNoInteractions(services.runtime);
  }
}
