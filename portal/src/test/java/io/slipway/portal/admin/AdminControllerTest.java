package io.slipway.portal.admin;

import static io.slipway.portal.web.FakeServices.reads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

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

@PortalSliceTest(AdminController.class)
class AdminControllerTest {

  static final String LIST = "/api/v1/admin/tenants?q={q}&sort={o}&page={p}&size={s}";

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
  }

  @Test
  void theOverviewIsSortedSearchedAndPagedByTenantServiceWithOveragesMarked() throws Exception {
    reads(
        services.tenant,
        "{'total':60,'items':[{'name':'big','displayName':'Big','limits':{'memoryMib':100},"
            + "'used':{'memoryMib':150},'overages':{'memoryMib':50}},{'name':'small',"
            + "'displayName':'Small','limits':{'memoryMib':100},'used':{'memoryMib':1},"
            + "'overages':{}}]}",
        LIST,
        "b",
        "memoryMib,desc",
        1,
        25);
    String page =
        mvc.perform(
                get("/admin")
                    .param("q", "b")
                    .param("sort", "memoryMib,desc")
                    .param("page", "1")
                    .with(Users.platformAdmin("root")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("60 tenants", "Page 2 of 3", "over-row", "over quota")
        .contains("aria-sort=\"descending\"", "/admin?q=b&amp;sort=memoryMib,asc")
        .contains("/admin?q=b&amp;sort=cpuMillicores,desc", "/admin?q=b&amp;sort=name,asc")
        .contains("/admin?q=b&amp;sort=memoryMib,desc&amp;page=2", "Last");
  }

  @Test
  void anUnknownOrderFallsBackToName() throws Exception {
    reads(services.tenant, "{'total':0,'items':[]}", LIST, "", "name,asc", 0, 25);
    String page =
        mvc.perform(get("/admin").param("sort", "x;drop").with(Users.platformAdmin("root")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page).contains("No tenants yet");
  }

  @Test
  void developersCannotReachAnyAdminPageAndNoServiceIsAsked() throws Exception {
    // (the page a browser then sees, "Not allowed", is checked through the real server in
    // PortalPagesIT: MockMvc does not render error pages)
    for (String path : new String[] {"/admin", "/admin/t/acme", "/admin/audit"}) {
      mvc.perform(get(path).with(Users.developer("alice"))).andExpect(status().isForbidden());
    }
    mvc.perform(
            post("/admin/t/acme/quota")
                .param("apps", "1")
                .with(csrf())
                .with(Users.developer("alice")))
        .andExpect(status().isForbidden());
    verifyNoInteractions(services.tenant);
  }

  @Test
  void aQuotaThatIsNoNumberIsExplainedWithoutAskingTheService() throws Exception {
    Map<String, String> form = new HashMap<>();
    for (String field : AdminController.FIELDS) {
      form.put(field, "1");
    }
    form.put("memoryMib", "lots");
    var request = post("/admin/t/acme/quota").with(csrf()).with(Users.platformAdmin("root"));
    form.forEach(request::param);
    mvc.perform(request)
        .andExpect(redirectedUrl("/admin/t/acme"))
        .andExpect(flash().attribute("error", "memoryMib must be a whole number, 0 or more"));
    verify(services.tenant, never()).put(any(), anyString(), any(Object[].class));
  }

  @Test
  void aProjectQuotaAboveTheTenantsIsRefusedInTheServicesWords() throws Exception {
    Map<String, Object> limits = new HashMap<>();
    AdminController.FIELDS.forEach(f -> limits.put(f, null));
    limits.put("memoryMib", 999999L);
    doThrow(
            new ServiceProblem(
                422,
                "project-quota-exceeds-tenant",
                "a project's quota may not exceed its tenant's: memoryMib 999999 > 8192"))
        .when(services.tenant)
        .put(limits, "/api/v1/tenants/{t}/projects/{p}/quota", "acme", "web");
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
    reads(services.tenant, "{'name':'acme','displayName':'Acme'}", "/api/v1/tenants/{t}", "acme");
    reads(
        services.tenant,
        "{'limits':{'apps':0,'memoryMib':8192},'used':{'apps':1},'overages':{'apps':1}}",
        "/api/v1/tenants/{t}/quota",
        "acme");
    reads(
        services.tenant,
        "{'used':{'storageMib':7},'measured':[{'key':'git','storageMib':7}],"
            + "'projects':{'items':[]}}",
        "/api/v1/tenants/{t}/usage?size=200",
        "acme");
    String page =
        mvc.perform(get("/admin/t/acme").with(Users.platformAdmin("root")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("<label for=\"tenant-memoryMib\">Memory (MiB)</label>")
        .contains("field over", "over quota", "no projects yet")
        .contains("Storage by kind", "<td>Git repositories</td><td>7</td>")
        .doesNotContain("Reserved");
  }

  @Test
  void theAuditLogIsFilteredByTenantAndActor() throws Exception {
    reads(
        services.tenant,
        "{'total':1,'items':[{'at':'2026-11-25T10:00:00Z','actor':'root',"
            + "'action':'quota.updated','target':'acme','before':{'apps':5},'after':{'apps':0}}]}",
        "/api/v1/admin/audit?page={p}&size=50&tenant={t}&actor={a}",
        0,
        "acme",
        "root");
    String page =
        mvc.perform(
                get("/admin/audit")
                    .param("tenant", "acme")
                    .param("actor", "root")
                    .with(Users.platformAdmin("root")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page).contains("quota.updated", "{&quot;apps&quot;:0}");
  }
}
