package io.slipway.portal.admin;

import static io.slipway.portal.web.FakeServices.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import io.slipway.kit.client.TenantViews.ProjectQuotaView;
import io.slipway.kit.client.TenantViews.QuotaView;
import io.slipway.kit.client.TenantViews.TenantUsage;
import io.slipway.kit.client.TenantViews.TenantView;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

@PortalSliceTest(TenantQuotaController.class)
class TenantQuotaControllerTest {

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
  }

  @Test
  void aQuotaThatIsNoNumberIsExplainedWithoutAskingTheService() throws Exception {
    Map<String, String> form = new HashMap<>();
    for (String field : QuotaForm.FIELDS) {
      form.put(field, "1");
    }
    form.put("memoryMib", "lots");
    var request = post("/admin/t/acme/quota").with(csrf()).with(Users.platformAdmin("root"));
    form.forEach(request::param);
    mvc.perform(request)
        .andExpect(redirectedUrl("/admin/t/acme"))
        .andExpect(flash().attribute("error", "memoryMib must be a whole number, 0 or more"));
    verify(services.tenants, never()).putTenantQuota(any(), any(), any());
  }

  @Test
  void aProjectQuotaAboveTheTenantsIsRefusedInTheServicesWords() throws Exception {
    Map<String, Long> limits = new HashMap<>();
    QuotaForm.PROJECT_FIELDS.forEach(f -> limits.put(f, null));
    limits.put("memoryMib", 999999L);
    doThrow(
            FakeServices.refusal(
                422,
                "project-quota-exceeds-tenant",
                "a project's quota may not exceed its tenant's: memoryMib 999999 > 8192"))
        .when(services.tenants)
        .putProjectQuota("acme", "web", limits, FakeServices.BEARER);
    mvc.perform(
            post("/admin/t/acme/p/web/quota")
                .param("memoryMib", "999999")
                .with(csrf())
                .with(Users.platformAdmin("root")))
        .andExpect(redirectedUrl("/admin/t/acme"))
        .andExpect(
            flash()
                .attribute(
                    "error",
                    "a project's quota may not exceed its tenant's: memoryMib 999999 > 8192"));
  }

  @Test
  void theQuotaPageLabelsEveryFieldAndMarksOverages() throws Exception {
    String page =
        quotaPage(
            "{'limits':{'apps':0,'memoryMib':8192},'used':{'apps':1},'overages':{'apps':1}}",
            "{'used':{'storageMib':7},'measured':[{'key':'git','storageMib':7}],"
                + "'projects':{'items':[],'page':0,'size':200,'total':0}}");
    assertThat(page)
        .contains("<label for=\"tenant-memoryMib\">Memory (MiB)</label>")
        .contains("field over", "over quota", "no projects yet")
        .contains("Storage by kind", "<td>Git repositories</td><td>7</td>")
        .doesNotContain("Reserved");
  }

  @Test
  void activationsKeptAreATenantLimitOnlyAndNoPartOfStorage() throws Exception {
    doReturn(answer("{'limits':{}}", ProjectQuotaView.class))
        .when(services.tenants)
        .projectQuotaView("acme", "web", FakeServices.BEARER);

    String page =
        quotaPage(
            "{'limits':{'activations':30},'used':{'activations':40},"
                + "'overages':{'activations':10}}",
            "{'used':{'storageMib':7,'activations':40},'measured':[{'key':'activations',"
                + "'storageMib':0,'activations':40},{'key':'git','storageMib':7,"
                + "'activations':0}],'projects':{'items':[{'project':'web','limits':{},"
                + "'used':{},'overages':{}}],'page':0,'size':200,'total':1}}");

    assertThat(page)
        .contains("<label for=\"tenant-activations\">Activations kept</label>")
        .contains("id=\"tenant-activations\" name=\"activations\"", "value=\"30\"")
        .contains("used: 40", "over quota")
        .contains("<label for=\"web-memoryMib\">")
        .doesNotContain("web-activations")
        .contains("<td>Git repositories</td><td>7</td>")
        .doesNotContain("<td>activations</td>");
  }

  /** The admin quota page of tenant acme, whose quota and usage tenant-service answers so. */
  private String quotaPage(String quota, String usage) throws Exception {
    doReturn(answer("{'name':'acme','displayName':'Acme'}", TenantView.class))
        .when(services.tenants)
        .tenantView("acme", FakeServices.BEARER);
    doReturn(answer(quota, QuotaView.class))
        .when(services.tenants)
        .tenantQuota("acme", FakeServices.BEARER);
    doReturn(answer(usage, TenantUsage.class))
        .when(services.tenants)
        .usage("acme", 200, 0, FakeServices.BEARER);
    return mvc.perform(get("/admin/t/acme").with(Users.platformAdmin("root")))
        .andReturn()
        .getResponse()
        .getContentAsString();
  }
}
