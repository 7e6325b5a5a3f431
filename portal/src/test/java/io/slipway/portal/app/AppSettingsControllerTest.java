package io.slipway.portal.app;

import static io.slipway.portal.web.FakeServices.reads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.ServiceProblem;
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
    reads(
        services.runtime,
        "{'env':{'GREETING':'hello','MODE':'prod'},'secrets':['DB_PASSWORD']}",
        AppRef.API + "/env",
        "acme",
        "web",
        "api");
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
    verify(services.runtime)
        .put(
            Map.of("env", Map.of("GREETING", "hello", "MODE", "staging"), "secrets", Map.of()),
            AppRef.API + "/env",
            "acme",
            "web",
            "api");
  }

  @Test
  void removingAVariableSendsTheRest() throws Exception {
    mvc.perform(
            post(PAGE + "/env/remove")
                .param("name", "MODE")
                .with(csrf())
                .with(Users.developer("a")))
        .andExpect(flash().attribute("notice", "MODE removed."));
    verify(services.runtime)
        .put(
            Map.of("env", Map.of("GREETING", "hello"), "secrets", Map.of()),
            AppRef.API + "/env",
            "acme",
            "web",
            "api");
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
    verify(services.runtime)
        .put(
            Map.of(
                "env",
                Map.of("GREETING", "hello", "MODE", "prod"),
                "secrets",
                Map.of("API_KEY", "s3cr3t-value")),
            AppRef.API + "/env",
            "acme",
            "web",
            "api");
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
    verify(services.runtime)
        .put(
            Map.of("env", Map.of("GREETING", "hello", "MODE", "prod"), "secrets", removal),
            AppRef.API + "/env",
            "acme",
            "web",
            "api");
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
    verify(services.runtime, never()).put(any(), anyString(), any(Object[].class));
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
    verify(services.runtime)
        .put(
            Map.of(
                "env",
                Map.of("GREETING", "hello", "MODE", "prod"),
                "secrets",
                Map.of(name, secret)),
            AppRef.API + "/env",
            "acme",
            "web",
            "api");

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
    verify(services.runtime, org.mockito.Mockito.times(1))
        .put(any(), anyString(), any(Object[].class));
  }

  @Test
  void aDomainTakenByAnotherAppIsExplainedPlainly() throws Exception {
    doThrow(new ServiceProblem(409, "domain-taken", "domain shop.example.com is taken"))
        .when(services.runtime)
        .post(Map.of("domain", "shop.example.com"), AppRef.API + "/domains", "acme", "web", "api");
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
    verify(services.runtime)
        .delete(AppRef.API + "/domains/{d}", "acme", "web", "api", "shop.example.com");
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
    verify(services.runtime)
        .post(
            Map.of(), AppRef.API + "/domains/{d}/verify", "acme", "web", "api", "shop.example.com");

    doThrow(
            new ServiceProblem(
                422,
                "domain-not-verified",
                "'new.example.com' is not verified yet: HTTP: new.example.com has no DNS record"))
        .when(services.runtime)
        .post(
            Map.of(), AppRef.API + "/domains/{d}/verify", "acme", "web", "api", "new.example.com");
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
    verify(services.runtime, never()).post(any(), anyString(), any(Object[].class));
  }
}
