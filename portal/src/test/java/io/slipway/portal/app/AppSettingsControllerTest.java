package io.slipway.portal.app;

import static io.slipway.portal.web.FakeServices.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import io.slipway.kit.client.RuntimeBridge.DomainRequest;
import io.slipway.kit.client.RuntimeBridge.EnvRequest;
import io.slipway.kit.client.RuntimeBridge.EnvView;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

@PortalSliceTest(AppSettingsController.class)
class AppSettingsControllerTest {

  static final String PAGE = "/t/acme/p/web/a/api";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void environment() {
    services.clear();
    doReturn(
            answer(
                "{'env':{'GREETING':'hello','MODE':'prod'},'secrets':['DB_PASSWORD']}",
                EnvView.class))
        .when(services.runtimes)
        .env("acme", "web", "api", FakeServices.BEARER);
  }

  /** Checks that runtime-bridge was sent {@code env} and {@code secrets}, as the user. */
  private void sent(Map<String, String> env, Map<String, String> secrets) {
    verify(services.runtimes)
        .setEnv("acme", "web", "api", new EnvRequest(env, secrets), FakeServices.BEARER);
  }

  @Test
  void settingAVariableKeepsTheOthers() throws Exception {
    mvc.perform(
            post(PAGE + "/env")
                .param("name", "MODE")
                .param("value", "staging")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(flash().attribute("notice", "MODE set."));
    sent(Map.of("GREETING", "hello", "MODE", "staging"), Map.of());
  }

  @Test
  void removingAVariableSendsTheRest() throws Exception {
    mvc.perform(
            post(PAGE + "/env/remove")
                .param("name", "MODE")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(flash().attribute("notice", "MODE removed."));
    sent(Map.of("GREETING", "hello"), Map.of());
  }

  @Test
  void aSecretsValueGoesToTheServiceOnceAndIsNeverEchoed() throws Exception {
    MvcResult result =
        mvc.perform(
                post(PAGE + "/secrets")
                    .param("name", "API_KEY")
                    .param("value", "s3cr3t-value")
                    .with(csrf())
                    .with(Users.developer("a")))
            .andExpect(redirectedUrl(PAGE))
            .andReturn();
    sent(Map.of("GREETING", "hello", "MODE", "prod"), Map.of("API_KEY", "s3cr3t-value"));
    assertThat(result.getFlashMap().toString())
        .contains("Secret API_KEY set")
        .doesNotContain("s3cr3t-value");
  }

  @Test
  void removingASecretSendsNullForIt() throws Exception {
    mvc.perform(
            post(PAGE + "/secrets/remove")
                .param("name", "DB_PASSWORD")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(flash().attribute("notice", "Secret DB_PASSWORD removed."));
    Map<String, String> removal = new HashMap<>();
    removal.put("DB_PASSWORD", null);
    sent(Map.of("GREETING", "hello", "MODE", "prod"), removal);
  }

  @Test
  void aBadVariableNameIsExplainedWithoutAskingTheService() throws Exception {
    mvc.perform(
            post(PAGE + "/env")
                .param("name", "1-BAD")
                .param("value", "x")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(
            flash()
                .attribute(
                    "error",
                    "'1-BAD' cannot be a variable name: use letters, digits and '_', not starting"
                        + " with a digit (at most 128)."));
    verify(services.runtimes, never()).setEnv(any(), any(), any(), any(), any());
  }

  @Test
  void namesAndSecretsAsLongAsRuntimeBridgeAcceptsPassAndOneMoreCharacterIsRefused()
      throws Exception {
    String name = "N" + "_".repeat(127);
    String secret = "s".repeat(8192);
    mvc.perform(
            post(PAGE + "/secrets")
                .param("name", name)
                .param("value", secret)
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(
            flash().attribute("notice", "Secret " + name + " set. Its value is not shown again."));
    sent(Map.of("GREETING", "hello", "MODE", "prod"), Map.of(name, secret));

    mvc.perform(
            post(PAGE + "/secrets")
                .param("name", "TOKEN")
                .param("value", secret + "s")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(flash().attribute("error", "A value may be at most 8192 characters long."));
    mvc.perform(
            post(PAGE + "/env")
                .param("name", "MODE")
                .param("value", "v".repeat(4097))
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(flash().attribute("error", "A value may be at most 4096 characters long."));
    mvc.perform(
            post(PAGE + "/env")
                .param("name", name + "X")
                .param("value", "x")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(
            flash()
                .attribute(
                    "error",
                    "'"
                        + name
                        + "X' cannot be a variable name: use letters, digits and '_', not"
                        + " starting with a digit (at most 128)."));
    verify(services.runtimes, org.mockito.Mockito.times(1))
        .setEnv(any(), any(), any(), any(), any());
  }

  @Test
  void aDomainTakenByAnotherAppIsExplainedPlainly() throws Exception {
    doThrow(FakeServices.refusal(409, "domain-taken", "domain shop.example.com is taken"))
        .when(services.runtimes)
        .addDomain(
            "acme", "web", "api", new DomainRequest("shop.example.com"), FakeServices.BEARER);
    mvc.perform(
            post(PAGE + "/domains")
                .param("domain", "Shop.Example.com")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash()
                .attribute(
                    "error",
                    "shop.example.com is already in use by another app on this platform. A domain"
                        + " leads to one app only: remove it from the other app first, or choose"
                        + " another name."));
  }

  @Test
  void domainsAreAddedAndRemoved() throws Exception {
    mvc.perform(
            post(PAGE + "/domains")
                .param("domain", "shop.example.com")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(
            flash()
                .attribute(
                    "notice",
                    "shop.example.com added. It leads to this app once you prove it is yours:"
                        + " follow the steps below, then press Verify."));
    mvc.perform(
            post(PAGE + "/domains/remove")
                .param("domain", "shop.example.com")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(
            flash()
                .attribute("notice", "shop.example.com removed: it no longer leads to this app."));
    verify(services.runtimes)
        .addDomain(
            "acme", "web", "api", new DomainRequest("shop.example.com"), FakeServices.BEARER);
    verify(services.runtimes)
        .removeDomain("acme", "web", "api", "shop.example.com", FakeServices.BEARER);
  }

  @Test
  void verifyRunsTheProofAndSaysWhyItFailed() throws Exception {
    mvc.perform(
            post(PAGE + "/domains/verify")
                .param("domain", "shop.example.com")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash().attribute("notice", "shop.example.com verified: it now leads to this app."));
    verify(services.runtimes)
        .verifyDomain("acme", "web", "api", "shop.example.com", FakeServices.BEARER);

    doThrow(
            FakeServices.refusal(
                422,
                "domain-not-verified",
                "'new.example.com' is not verified yet: HTTP: new.example.com has no DNS record"))
        .when(services.runtimes)
        .verifyDomain("acme", "web", "api", "new.example.com", FakeServices.BEARER);
    mvc.perform(
            post(PAGE + "/domains/verify")
                .param("domain", "new.example.com")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(
            flash()
                .attribute(
                    "error",
                    "'new.example.com' is not verified yet: HTTP: new.example.com has no DNS record."
                        + " Check the DNS record or the URL shown under the domain, then verify"
                        + " again (DNS changes can take a while to be seen)."));
  }

  @Test
  void somethingThatIsNoDomainIsRefusedBeforeAnyCall() throws Exception {
    mvc.perform(
            post(PAGE + "/domains")
                .param("domain", "not a domain")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(
            flash()
                .attribute(
                    "error", "'not a domain' is not a domain name such as shop.example.com."));
    verify(services.runtimes, never()).addDomain(any(), any(), any(), any(), any());
  }
}
