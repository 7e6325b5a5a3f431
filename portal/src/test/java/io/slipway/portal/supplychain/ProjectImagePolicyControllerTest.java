package io.slipway.portal.supplychain;

import static io.slipway.portal.web.FakeServices.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.kit.client.RuntimePolicies.PolicyDocument;
import io.slipway.kit.client.RuntimePolicies.ProjectPolicy;
import io.slipway.kit.client.TenantViews.TenantView;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

@PortalSliceTest(ProjectImagePolicyController.class)
class ProjectImagePolicyControllerTest {

  static final String PAGE = "/t/acme/p/prod/image-policy";
  static final String POLICY =
      "{'tenant':'acme','project':'prod',"
          + "'policy':{'requireSigned':true,'allowedRegistries':['*'],'maxSeverity':'CRITICAL',"
          + "'tenantWaiversAllowed':true,'waivers':[]},"
          + "'tenantEffective':{'requireSigned':false,'allowedRegistries':['*'],"
          + "'maxSeverity':'HIGH','tenantWaiversAllowed':true,'waivers':[]},"
          + "'effective':{'requireSigned':true,'allowedRegistries':['*'],'maxSeverity':'HIGH',"
          + "'tenantWaiversAllowed':true,'waivers':[]}}";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
    doReturn(answer(POLICY, ProjectPolicy.class))
        .when(services.policies)
        .projectPolicy("acme", "prod", FakeServices.BEARER);
  }

  private void roleIs(String role) {
    doReturn(answer("{'name':'acme','displayName':'Acme','role':'" + role + "'}", TenantView.class))
        .when(services.tenants)
        .tenantView("acme", FakeServices.BEARER);
  }

  private String page(String user) throws Exception {
    return mvc.perform(get(PAGE).with(Users.developer(user)))
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  @Test
  void aTenantAdminSeesTheTenantsRulesTheProjectsWhatAppliesAndTheForm() throws Exception {
    roleIs("tenant-admin");
    String page = page("alice");
    assertThat(page)
        .contains("Image policy of <span>prod</span>", "From the tenant</th>", "This project")
        .contains("Save the policy", "href=\"/t/acme/image-policy\"");
    // the signature rule: the tenant's says no, the project's yes, and yes applies
    assertThat(page.substring(page.indexOf("id=\"rule-signed\"")))
        .containsSubsequence(">no<", ">yes<", "<strong>yes</strong>");
  }

  @Test
  void aDeveloperReadsItWithoutTheForm() throws Exception {
    roleIs("developer");
    assertThat(page("bob"))
        .contains("Only the tenant's admins can change the policy.")
        .doesNotContain("Save the policy");
  }

  @Test
  void tighteningWritesTheProjectsPolicyWholeAndARefusalIsShown() throws Exception {
    mvc.perform(
            post(PAGE)
                .param("requireSigned", "true")
                .param("allowedRegistries", "localhost/acme")
                .param("maxSeverity", "MEDIUM")
                .with(csrf())
                .with(Users.developer("alice")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(flash().attribute("notice", "Image policy of project prod saved."));
    verify(services.policies)
        .setProjectPolicy(
            "acme",
            "prod",
            new PolicyDocument(true, List.of("localhost/acme"), "MEDIUM", true, List.of()),
            FakeServices.BEARER);

    doThrow(
            FakeServices.refusal(
                403,
                "forbidden",
                "Changing project prod's image policy needs the tenant-admin role"))
        .when(services.policies)
        .setProjectPolicy(eq("acme"), eq("prod"), any(), eq(FakeServices.BEARER));
    mvc.perform(post(PAGE).param("maxSeverity", "LOW").with(csrf()).with(Users.developer("bob")))
        .andExpect(redirectedUrl(PAGE))
        .andExpect(
            flash()
                .attribute(
                    "error", "Changing project prod's image policy needs the tenant-admin role"));
  }
}
