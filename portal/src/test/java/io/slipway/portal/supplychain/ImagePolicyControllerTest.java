package io.slipway.portal.supplychain;

import static io.slipway.portal.web.FakeServices.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
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

import io.slipway.kit.client.RuntimePolicies.PolicyDocument;
import io.slipway.kit.client.RuntimePolicies.Retention;
import io.slipway.kit.client.RuntimePolicies.RetentionChange;
import io.slipway.kit.client.RuntimePolicies.TenantPolicy;
import io.slipway.kit.client.RuntimePolicies.Waiver;
import io.slipway.kit.client.TenantViews.TenantView;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.client.ResourceAccessException;

@PortalSliceTest(ImagePolicyController.class)
class ImagePolicyControllerTest {

  static final String PAGE = "/t/acme/image-policy";
  static final String POLICY =
      "{'tenant':'acme',"
          + "'policy':{'requireSigned':false,'allowedRegistries':['*'],'maxSeverity':'CRITICAL',"
          + "'tenantWaiversAllowed':true,'waivers':[{'advisoryId':'CVE-2026-1',"
          + "'reason':'not reachable','expiresAt':'2026-12-31T23:59:59Z'}]},"
          + "'floor':{'requireSigned':true,'allowedRegistries':['*'],'maxSeverity':'HIGH',"
          + "'tenantWaiversAllowed':true,'waivers':[]},"
          + "'effective':{'requireSigned':true,'allowedRegistries':['*'],'maxSeverity':'HIGH',"
          + "'tenantWaiversAllowed':true,'waivers':[]}}";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
    policyIs(POLICY);
  }

  private void policyIs(String json) {
    doReturn(answer(json, TenantPolicy.class))
        .when(services.policies)
        .tenantPolicy("acme", FakeServices.BEARER);
  }

  private void roleIs(String role) {
    doReturn(answer("{'name':'acme','displayName':'Acme','role':'" + role + "'}", TenantView.class))
        .when(services.tenants)
        .tenantView("acme", FakeServices.BEARER);
  }

  private static Waiver waiver(String advisoryId, String reason, String expiresAt) {
    return new Waiver(advisoryId, reason, Instant.parse(expiresAt));
  }

  private String page(String user) throws Exception {
    return mvc.perform(get(PAGE).with(Users.developer(user)))
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  @Test
  void imageRetentionIsShownToMembersAndSetByTenantAdminsWithinTheMaximum() throws Exception {
    doReturn(
            answer(
                "{'tenant':'acme','revisions':3,'own':3,'defaultRevisions':10,'maxRevisions':50}",
                Retention.class))
        .when(services.policies)
        .retention("acme", FakeServices.BEARER);
    roleIs("tenant-admin");
    String admin = page("alice");
    assertThat(admin)
        .contains("Image retention", "newest <strong>3</strong> revisions")
        .contains("default is <span>10</span>")
        .contains("action=\"/t/acme/image-retention\"", "max=\"50\"");
    roleIs("developer");
    String developer = page("bob");
    assertThat(developer)
        .contains("newest <strong>3</strong> revisions")
        .doesNotContain("action=\"/t/acme/image-retention\"");

    mvc.perform(
            post("/t/acme/image-retention")
                .param("revisions", " 3 ")
                .with(csrf())
                .with(Users.developer("alice")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash()
                .attribute(
                    "notice",
                    "The images of each app's newest 3 revisions are kept (and those of live and"
                        + " pinned ones)."));
    verify(services.policies).setRetention("acme", new RetentionChange(3), FakeServices.BEARER);
    mvc.perform(
            post("/t/acme/image-retention")
                .param("revisions", "")
                .with(csrf())
                .with(Users.developer("alice")))
        .andExpect(flash().attribute("notice", "Image retention is the platform's default again."));
    verify(services.policies).setRetention("acme", new RetentionChange(null), FakeServices.BEARER);
    mvc.perform(
            post("/t/acme/image-retention")
                .param("revisions", "ten")
                .with(csrf())
                .with(Users.developer("alice")))
        .andExpect(flash().attribute("error", "The number of revisions is a whole number."));
    doThrow(FakeServices.refusal(400, "invalid-retention", "revisions must be from 1 to 50"))
        .when(services.policies)
        .setRetention("acme", new RetentionChange(99), FakeServices.BEARER);
    mvc.perform(
            post("/t/acme/image-retention")
                .param("revisions", "99")
                .with(csrf())
                .with(Users.developer("alice")))
        .andExpect(flash().attribute("error", "revisions must be from 1 to 50"));
  }

  @Test
  void aTenantAdminSeesTheFloorTheirRulesWhatAppliesAndTheFormsToChangeThem() throws Exception {
    roleIs("tenant-admin");
    String page = page("alice");
    assertThat(page)
        .contains("Image policy", "Only images the platform signed", "HIGH", "CRITICAL")
        .contains("CVE-2026-1", "not reachable", "2026-12-31")
        .contains("Save the policy", "Add the waiver", "Remove the waiver of CVE-2026-1");
  }

  @Test
  void aDeveloperReadsThePolicyWithoutForms() throws Exception {
    roleIs("developer");
    assertThat(page("bob"))
        .contains("CVE-2026-1", "Only the tenant's admins can change the policy.")
        .doesNotContain("Save the policy", "Add the waiver", "Remove the waiver");
  }

  @Test
  void tighteningKeepsTheWaiversAndWritesThePolicyWhole() throws Exception {
    mvc.perform(
            post(PAGE)
                .param("requireSigned", "true")
                .param("allowedRegistries", "registry.example.com\nlocalhost")
                .param("maxSeverity", "MEDIUM")
                .with(csrf())
                .with(Users.developer("alice")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(flash().attribute("notice", "Image policy saved."));
    verify(services.policies)
        .setTenantPolicy(
            "acme",
            new PolicyDocument(
                true,
                List.of("registry.example.com", "localhost"),
                "MEDIUM",
                true,
                List.of(waiver("CVE-2026-1", "not reachable", "2026-12-31T23:59:59Z"))),
            FakeServices.BEARER);
  }

  @Test
  void aWaiverLastsToTheEndOfItsDayAndOneIsRemovedByItsAdvisory() throws Exception {
    mvc.perform(
            post(PAGE + "/waivers")
                .param("advisoryId", " GHSA-x ")
                .param("reason", "fixed upstream next week")
                .param("expiresOn", "2027-01-15")
                .with(csrf())
                .with(Users.developer("alice")))
        .andExpect(flash().attribute("notice", "Advisory GHSA-x waived until 2027-01-15."));
    verify(services.policies)
        .setTenantPolicy(
            "acme",
            new PolicyDocument(
                false,
                List.of("*"),
                "CRITICAL",
                true,
                List.of(
                    waiver("CVE-2026-1", "not reachable", "2026-12-31T23:59:59Z"),
                    waiver("GHSA-x", "fixed upstream next week", "2027-01-15T23:59:59Z"))),
            FakeServices.BEARER);

    services.clear();
    policyIs(POLICY);
    mvc.perform(
            post(PAGE + "/waivers/remove")
                .param("advisoryId", "CVE-2026-1")
                .with(csrf())
                .with(Users.developer("alice")))
        .andExpect(flash().attribute("notice", "The waiver of CVE-2026-1 was removed."));
    verify(services.policies)
        .setTenantPolicy(
            "acme",
            new PolicyDocument(false, List.of("*"), "CRITICAL", true, List.of()),
            FakeServices.BEARER);
  }

  @Test
  void aWaiverWithoutAReasonIsNotSent() throws Exception {
    mvc.perform(
            post(PAGE + "/waivers")
                .param("advisoryId", "GHSA-x")
                .param("reason", " ")
                .param("expiresOn", "2027-01-15")
                .with(csrf())
                .with(Users.developer("alice")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(flash().attribute("error", "A waiver names the advisory and says why."));
    verify(services.policies, never()).setTenantPolicy(any(), any(), any());
  }

  @Test
  void aRefusalOfRuntimeBridgeIsShownInItsOwnWords() throws Exception {
    doThrow(
            FakeServices.refusal(
                403,
                "forbidden",
                "Changing tenant acme's image policy needs the tenant-admin role"))
        .when(services.policies)
        .setTenantPolicy(eq("acme"), any(), eq(FakeServices.BEARER));
    mvc.perform(post(PAGE).param("maxSeverity", "LOW").with(csrf()).with(Users.developer("bob")))
        .andExpect(
            flash()
                .attribute(
                    "error", "Changing tenant acme's image policy needs the tenant-admin role"));
  }

  @Test
  void runtimeBridgeDownShowsAPageThatSaysSoWithoutAStackTrace() throws Exception {
    roleIs("developer");
    services.clear();
    roleIs("developer");
    doThrow(new ResourceAccessException("Connection refused"))
        .when(services.policies)
        .tenantPolicy("acme", FakeServices.BEARER);
    String page =
        mvc.perform(get(PAGE).with(Users.developer("bob")))
            .andExpect(status().isServiceUnavailable())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("runtime-bridge cannot be reached right now")
        .doesNotContain("Exception", "at io.slipway");
  }
}
