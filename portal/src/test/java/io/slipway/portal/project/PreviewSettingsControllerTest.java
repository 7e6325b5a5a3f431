package io.slipway.portal.project;

import static io.slipway.portal.web.FakeServices.BEARER;
import static io.slipway.portal.web.FakeServices.answer;
import static io.slipway.portal.web.FakeServices.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.kit.client.TenantViews.AppView;
import io.slipway.kit.client.TenantViews.Page;
import io.slipway.kit.client.TenantViews.PreviewSettingsChange;
import io.slipway.kit.client.TenantViews.PreviewSettingsView;
import io.slipway.kit.client.TenantViews.ProjectQuotaView;
import io.slipway.kit.client.TenantViews.ProjectView;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.core.type.TypeReference;

@PortalSliceTest({ProjectController.class, PreviewSettingsController.class})
class PreviewSettingsControllerTest {

  static final String PAGE = "/t/acme/p/web";
  static final String FORM = PAGE + "/preview-settings";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void services() {
    services.clear();
    doReturn(answer("{'name':'web','displayName':'Web'}", ProjectView.class))
        .when(services.tenants)
        .projectView("acme", "web", BEARER);
    doReturn(
            answer(
                "{'items':[],'page':0,'size':200,'total':0}",
                new TypeReference<Page<AppView>>() {}))
        .when(services.tenants)
        .projectApps("acme", "web", 200, BEARER);
    doReturn(
            answer(
                "{'effective':{'apps':5,'previews':3},'used':{'apps':1,'previews':2}}",
                ProjectQuotaView.class))
        .when(services.tenants)
        .projectQuotaView("acme", "web", BEARER);
    settings(
        "{'previewTtl':'7d','previewTtlDefault':true,'previewPolicy':'refuse',"
            + "'allowForks':false}");
  }

  private void settings(String json) {
    doReturn(answer(json, PreviewSettingsView.class))
        .when(services.tenants)
        .previewSettingsView("acme", "web", BEARER);
  }

  private String page() throws Exception {
    return mvc.perform(get(PAGE).with(Users.developer("alice")))
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  private static MockHttpServletRequestBuilder save(String ttl, String policy, boolean forks) {
    MockHttpServletRequestBuilder post =
        post(FORM)
            .param("previewTtl", ttl)
            .param("previewPolicy", policy)
            .with(csrf())
            .with(Users.developer("alice"));
    return forks ? post.param("allowForks", "true") : post;
  }

  @Test
  void aTenantAdminGetsTheFormWithTheQuotaAndTheForksWarning() throws Exception {
    services.role("tenant-admin");

    String page = page();

    assertThat(page)
        .contains("href=\"#previews\">2 previews of 3 allowed</a>")
        .contains("Previews", "2 / 3")
        .contains("action=\"/t/acme/p/web/preview-settings\"")
        // the platform's default is a placeholder, so saving as it is keeps following it
        .containsPattern("name=\"previewTtl\" maxlength=\"32\" autocomplete=\"off\"\\s+value=\"\"")
        .contains("placeholder=\"7d\"")
        .contains("<option value=\"refuse\" selected=\"selected\">is refused</option>")
        .contains("name=\"allowForks\" type=\"checkbox\" value=\"true\"")
        .contains("built with no network", "runs with no secrets at all")
        .doesNotContain("id=\"preview-ttl-value\"", "checked=\"checked\"");
  }

  @Test
  void developersAndViewersReadTheSettingsWithoutAForm() throws Exception {
    settings(
        "{'previewTtl':'36h','previewTtlDefault':false,'previewPolicy':'replace-oldest',"
            + "'allowForks':true}");
    for (String role : new String[] {"developer", "viewer"}) {
      services.role(role);

      String page = page();

      assertThat(page)
          .as(role)
          .contains("id=\"preview-ttl-value\">36h</dd>")
          .contains("id=\"preview-policy-value\">the oldest preview is deleted to make room</dd>")
          .contains("id=\"preview-forks-value\">get previews (no network, no secrets)</dd>")
          .contains("Changing these needs the tenant-admin role.")
          .doesNotContain("/preview-settings\"", "name=\"previewTtl\"");
    }
  }

  @Test
  void savedSettingsAreSentWholeAndSaidInASentence() throws Exception {
    doReturn(
            answer(
                "{'previewTtl':'3d','previewTtlDefault':false,'previewPolicy':'replace-oldest',"
                    + "'allowForks':true}",
                PreviewSettingsView.class))
        .when(services.tenants)
        .putPreviewSettings(any(), any(), any(), any());

    mvc.perform(save(" 3d ", "replace-oldest", true))
        .andExpect(redirectedUrl(PAGE + "#previews"))
        .andExpect(
            flash()
                .attribute(
                    "notice",
                    "Preview settings saved: a preview without a push for 3d is deleted; over the"
                        + " quota the oldest preview is deleted to make room; pull requests from"
                        + " forks get previews, built with no network and run with no secrets."));
    verify(services.tenants)
        .putPreviewSettings(
            "acme", "web", new PreviewSettingsChange("3d", "replace-oldest", true), BEARER);
  }

  @Test
  void anEmptyTtlGoesBackToThePlatformsDefault() throws Exception {
    doReturn(
            answer(
                "{'previewTtl':'7d','previewTtlDefault':true,'previewPolicy':'refuse',"
                    + "'allowForks':false}",
                PreviewSettingsView.class))
        .when(services.tenants)
        .putPreviewSettings(any(), any(), any(), any());

    mvc.perform(save("", "refuse", false))
        .andExpect(
            flash()
                .attribute(
                    "notice",
                    "Preview settings saved: a preview without a push for 7d (the platform's"
                        + " default) is deleted; over the quota a new preview is refused; pull"
                        + " requests from forks get none."));
    verify(services.tenants)
        .putPreviewSettings(
            "acme", "web", new PreviewSettingsChange(null, "refuse", false), BEARER);
  }

  @Test
  void aTtlOutOfRangeComesBackBesideItsFieldWithWhatWasTypedAndIsNotSent() throws Exception {
    services.role("tenant-admin");
    for (String ttl : new String[] {"91d", "30m", "forever", "x".repeat(200)}) {
      mvc.perform(save(ttl, "replace-oldest", true))
          .andExpect(redirectedUrl(PAGE + "#previews"))
          .andExpect(
              flash()
                  .attribute(
                      "previewTtlError",
                      "The TTL must be a duration such as 7d, 36h or P7D, from 1h to 90d, or empty"
                          + " for the platform's default; "
                          + ttl.substring(0, Math.min(ttl.length(), 64))
                          + " is not."));
    }
    verify(services.tenants, never()).putPreviewSettings(any(), any(), any(), any());

    // the page the redirect leads to: the message beside the field, what was typed kept
    String page =
        mvc.perform(
                get(PAGE)
                    .with(Users.developer("alice"))
                    .flashAttr("previewTtlError", PreviewSettingsController.ttlRule("91d"))
                    .flashAttr(
                        "previewTyped",
                        new PreviewSettingsController.Typed("91d", "replace-oldest", true)))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("value=\"91d\"", "aria-invalid=\"true\"")
        .contains("id=\"preview-ttl-error\">The TTL must be a duration such as 7d")
        .contains("<option value=\"replace-oldest\" selected=\"selected\">")
        .contains("checked=\"checked\"");
  }

  @Test
  void tenantServicesRefusalOfTheTtlIsShownBesideTheField() throws Exception {
    doThrow(
            refusal(
                400,
                "invalid-request",
                "previewTtl must be a duration such as 7d, 36h or P7D, from 1h to 90d"))
        .when(services.tenants)
        .putPreviewSettings(any(), any(), any(), any());

    mvc.perform(save("2d", "refuse", false))
        .andExpect(
            flash()
                .attribute(
                    "previewTtlError",
                    "The preview settings were not saved: previewTtl must be a duration such as"
                        + " 7d, 36h or P7D, from 1h to 90d"))
        .andExpect(
            flash()
                .attribute(
                    "previewTyped", new PreviewSettingsController.Typed("2d", "refuse", false)));
  }

  @Test
  void aForgedPolicyIsNotSent() throws Exception {
    mvc.perform(save("7d", "stop-oldest", false))
        .andExpect(
            flash()
                .attribute(
                    "previewSettingsError",
                    "Choose what a new preview does when the quota is full: refuse it or replace"
                        + " the oldest."));
    verify(services.tenants, never()).putPreviewSettings(any(), any(), any(), any());
  }

  @Test
  void aNonAdminsForgedPostIsTheForbiddenPage() throws Exception {
    doThrow(refusal(403, "forbidden", "This needs the tenant-admin role in tenant acme"))
        .when(services.tenants)
        .putPreviewSettings(any(), any(), any(), any());

    String body =
        mvc.perform(save("1h", "replace-oldest", true))
            .andExpect(status().isForbidden())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(body).contains("This needs the tenant-admin role in tenant acme");
  }

  @Test
  void anotherTenantsProjectIsTheNotFoundPageForTheFormAndThePost() throws Exception {
    doThrow(refusal(404, "not-found", "No tenant other"))
        .when(services.tenants)
        .putPreviewSettings(anyString(), anyString(), any(), anyString());
    mvc.perform(
            post("/t/other/p/web/preview-settings")
                .param("previewTtl", "1h")
                .with(csrf())
                .with(Users.developer("mallory")))
        .andExpect(status().isNotFound());
    String body =
        mvc.perform(get("/t/other/p/web").with(Users.developer("mallory")))
            .andExpect(status().isNotFound())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(body).doesNotContain("preview-settings", "previewTtl");
  }

  @Test
  void aPostWithoutTheFormsTokenIsRefused() throws Exception {
    mvc.perform(post(FORM).param("previewTtl", "1h").with(Users.developer("alice")))
        .andExpect(status().isForbidden());
    verify(services.tenants, never()).putPreviewSettings(any(), any(), any(), any());
  }
}
