package io.slipway.portal.app;

import static io.slipway.portal.web.FakeServices.answer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.kit.client.BuildService;
import io.slipway.kit.client.RuntimeBridge.AutoscaleSetting;
import io.slipway.kit.client.RuntimeBridge.ImageDeploy;
import io.slipway.kit.client.RuntimeBridge.PromoteRequest;
import io.slipway.kit.client.RuntimeBridge.Revision;
import io.slipway.kit.client.RuntimeBridge.RollbackRequest;
import io.slipway.kit.client.RuntimeBridge.ScaleRequest;
import io.slipway.kit.client.RuntimeBridge.ScaleToZeroSetting;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.client.RestClientResponseException;

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
    }
    verify(services.runtimes).stop("acme", "web", "api", FakeServices.BEARER);
    verify(services.runtimes).start("acme", "web", "api", FakeServices.BEARER);
    verify(services.runtimes).restart("acme", "web", "api", FakeServices.BEARER);
  }

  @Test
  void aRefusalIsShownInTheServicesOwnWords() throws Exception {
    doThrow(
            FakeServices.refusal(
                409, "quota-exceeded", "replicas 4 would exceed the tenant's quota of 3"))
        .when(services.runtimes)
        .scale("acme", "web", "api", new ScaleRequest(4, null), FakeServices.BEARER);
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
    verify(services.runtimes)
        .scale("acme", "web", "api", new ScaleRequest(2, "worker"), FakeServices.BEARER);
  }

  @Test
  void aDeployRefusedByTheImagePolicyFlashesItsReasons() throws Exception {
    List<String> reasons = List.of("image is not signed by the platform key");
    doThrow(unsigned(reasons))
        .when(services.runtimes)
        .deploy("acme", "web", "api", new ImageDeploy("x:1", null), FakeServices.BEARER);
    mvc.perform(
            post(PAGE + "/deploy").param("image", "x:1").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(flash().attribute("error", "Image x:1 was refused by the image policy:"))
        .andExpect(flash().attribute("reasons", reasons));
  }

  @Test
  void promotionNamesTheTargetAndARefusalByItsPolicyIsShownWithItsReasons() throws Exception {
    mvc.perform(
            post(PAGE + "/promote")
                .param("toProject", "prod")
                .param("toApp", " api ")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash()
                .attribute(
                    "notice",
                    "Promoted the live image to prod/api: it runs there by the same digest."));
    verify(services.runtimes)
        .promote("acme", "web", "api", new PromoteRequest("prod", "api"), FakeServices.BEARER);

    List<String> reasons = List.of("image is not signed by the platform key");
    doThrow(unsigned(reasons))
        .when(services.runtimes)
        .promote("acme", "web", "api", new PromoteRequest("prod", "site"), FakeServices.BEARER);
    mvc.perform(
            post(PAGE + "/promote")
                .param("toProject", "prod")
                .param("toApp", "site")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(flash().attribute("error", "Image x:1 was refused by the image policy:"))
        .andExpect(flash().attribute("reasons", reasons));
  }

  /** runtime-bridge's refusal of an unsigned image, with its {@code reasons}. */
  private static RestClientResponseException unsigned(List<String> reasons) {
    return FakeServices.refusal(
        422,
        "image-refused",
        "Image x:1 was refused by the image policy: image is not signed by the platform key",
        reasons);
  }

  @Test
  void scaleToZeroIsSetWithItsPeriodUnsetWhenUntickedAndAQuotaRefusalIsShown() throws Exception {
    mvc.perform(
            post(PAGE + "/scale-to-zero")
                .param("enabled", "true")
                .param("idleAfter", " 10m ")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash()
                .attribute(
                    "notice",
                    "Scales to zero after 10m without requests; the next request wakes it."));
    verify(services.runtimes)
        .setScaleToZero(
            "acme", "web", "api", new ScaleToZeroSetting(true, "10m", null), FakeServices.BEARER);

    mvc.perform(
            post(PAGE + "/scale-to-zero")
                .param("enabled", "true")
                .param("idleAfter", "5m")
                .param("pausedFor", "1h")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(
            flash()
                .attribute(
                    "notice",
                    "Scales to zero after 5m without requests; paused for 1h first, then stopped;"
                        + " the next request wakes it."));
    verify(services.runtimes)
        .setScaleToZero(
            "acme", "web", "api", new ScaleToZeroSetting(true, "5m", "1h"), FakeServices.BEARER);

    // unticked: a checkbox sends nothing, and the period does not matter
    doThrow(
            FakeServices.refusal(
                409, "quota-exceeded", "Project web has 250 of 1000 millicores left, 750 asked"))
        .when(services.runtimes)
        .setScaleToZero(
            "acme", "web", "api", new ScaleToZeroSetting(false, null, null), FakeServices.BEARER);
    mvc.perform(
            post(PAGE + "/scale-to-zero")
                .param("idleAfter", "10m")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash().attribute("error", "Project web has 250 of 1000 millicores left, 750 asked"));
  }

  @Test
  void autoscalingIsSetWithItsBoundsUnsetWhenUntickedAndARefusalIsShown() throws Exception {
    mvc.perform(
            post(PAGE + "/autoscaling")
                .param("enabled", "true")
                .param("min", "2")
                .param("max", "5")
                .param("targetConcurrency", "20")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash()
                .attribute(
                    "notice",
                    "Autoscales with the requests in flight: its replicas follow them within its"
                        + " bounds and the project's quota."));
    verify(services.runtimes)
        .setAutoscaling(
            "acme", "web", "api", new AutoscaleSetting(true, 2, 5, 20), FakeServices.BEARER);

    // unticked: the bounds typed do not matter
    mvc.perform(
            post(PAGE + "/autoscaling").param("max", "5").with(csrf()).with(Users.developer("a")))
        .andExpect(
            flash().attribute("notice", "No longer autoscales: its replicas stay as scaled."));
    verify(services.runtimes)
        .setAutoscaling(
            "acme",
            "web",
            "api",
            new AutoscaleSetting(false, null, null, null),
            FakeServices.BEARER);

    doThrow(
            FakeServices.refusal(
                400, "invalid-autoscaling", "max must be from min (5) to 100, not 3"))
        .when(services.runtimes)
        .setAutoscaling(
            "acme", "web", "api", new AutoscaleSetting(true, 5, 3, null), FakeServices.BEARER);
    mvc.perform(
            post(PAGE + "/autoscaling")
                .param("enabled", "true")
                .param("min", "5")
                .param("max", "3")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(flash().attribute("error", "max must be from min (5) to 100, not 3"));
  }

  @Test
  void rollbackNamesTheRevision() throws Exception {
    mvc.perform(
            post(PAGE + "/rollback").param("revision", "2").with(csrf()).with(Users.developer("a")))
        .andExpect(flash().attribute("notice", "Rolled back to revision 2."));
    verify(services.runtimes)
        .rollback("acme", "web", "api", new RollbackRequest(2), FakeServices.BEARER);
  }

  @Test
  void aRevisionIsPinnedAndUnpinnedAsTheUserAndARefusalIsShown() throws Exception {
    mvc.perform(post(PAGE + "/revisions/3/pin").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash().attribute("notice", "Pinned revision 3: its image is kept whatever its age."));
    verify(services.runtimes).pin("acme", "web", "api", 3, FakeServices.BEARER);

    mvc.perform(post(PAGE + "/revisions/3/unpin").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE));
    verify(services.runtimes).unpin("acme", "web", "api", 3, FakeServices.BEARER);

    doThrow(
            FakeServices.refusal(
                409, "image-removed", "revision 2's image was removed by retention"))
        .when(services.runtimes)
        .pin("acme", "web", "api", 2, FakeServices.BEARER);
    mvc.perform(post(PAGE + "/revisions/2/pin").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(flash().attribute("error", "revision 2's image was removed by retention"));
  }

  @Test
  void anImageIsDeployedAndAFailedDeployIsExplained() throws Exception {
    doReturn(
            answer(
                "{'revision':3,'status':'failed','reason':'exit code 1: no such file'}",
                Revision.class))
        .when(services.runtimes)
        .deploy(
            "acme", "web", "api", new ImageDeploy("localhost/shop:2", null), FakeServices.BEARER);
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
    verifyNoInteractions(services.runtimes);
  }

  @Test
  void rotatingTheWebhookSecretAsksBuildServiceAsTheUser() throws Exception {
    mvc.perform(post(PAGE + "/webhook/rotate").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash()
                .attribute(
                    "notice",
                    "Webhook secret rotated: update it at your git host; the old one no longer"
                        + " works."));
    verify(services.builds).rotateWebhookSecret("acme", "web", "api", FakeServices.BEARER);
  }

  @Test
  void commitStatusIsSetAndTurnedOffThroughBuildServiceAndARefusalIsShown() throws Exception {
    mvc.perform(commitStatus(" https://api.github.com ", "ghp_x").with(csrf()))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash()
                .attribute(
                    "notice",
                    "Commit status on: each webhook build is posted to github as pending, then"
                        + " success or failure."));
    verify(services.builds)
        .setCommitStatus(
            "acme",
            "web",
            "api",
            new BuildService.CommitStatusSetting("github", "https://api.github.com", "ghp_x"),
            FakeServices.BEARER);

    doThrow(
            FakeServices.refusal(
                400,
                "bad-api-url",
                "apiUrl refused: the host localhost resolves to 127.0.0.1, which is the host's"
                    + " loopback (slipway.build.commit-status.allowed-hosts)"))
        .when(services.builds)
        .setCommitStatus(
            "acme",
            "web",
            "api",
            new BuildService.CommitStatusSetting("github", "https://localhost", "t"),
            FakeServices.BEARER);
    mvc.perform(commitStatus("https://localhost", "t").with(csrf()))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash()
                .attribute(
                    "error",
                    "apiUrl refused: the host localhost resolves to 127.0.0.1, which is the"
                        + " host's loopback (slipway.build.commit-status.allowed-hosts)"));

    mvc.perform(post(PAGE + "/commit-status/delete").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash().attribute("notice", "Commit status off: nothing more is posted to the forge."));
    verify(services.builds).deleteCommitStatus("acme", "web", "api", FakeServices.BEARER);
  }

  @Test
  void aCommitStatusPostWithoutCsrfNeverReachesBuildService() throws Exception {
    mvc.perform(commitStatus("https://api.github.com", "t")).andExpect(status().isForbidden());
    verifyNoInteractions(services.builds);
  }

  /** A developer's post of the commit status form for GitHub. */
  private static MockHttpServletRequestBuilder commitStatus(String apiUrl, String token) {
    return post(PAGE + "/commit-status")
        .param("forge", "github")
        .param("apiUrl", apiUrl)
        .param("token", token)
        .with(Users.developer("a"));
  }
}
