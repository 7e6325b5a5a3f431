package io.slipway.portal.tenant;

import static io.slipway.portal.web.FakeServices.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import io.slipway.kit.client.TenantViews.NewTenant;
import io.slipway.kit.client.TenantViews.Page;
import io.slipway.kit.client.TenantViews.QuotaView;
import io.slipway.kit.client.TenantViews.TenantView;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.client.ResourceAccessException;
import tools.jackson.core.type.TypeReference;

@PortalSliceTest(HomeController.class)
class HomeControllerTest {

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
  }

  @Test
  void signedOutVisitorsGetTheWelcome() throws Exception {
    assertThat(mvc.perform(get("/")).andReturn().getResponse().getContentAsString())
        .contains("Push code. Get a URL.");
  }

  @Test
  void theDashboardShowsEachTenantWithUsageBars() throws Exception {
    doReturn(
            answer(
                "{'items':[{'name':'acme','displayName':'Acme','role':'developer'}],'page':0,'size':200,'total':1}",
                new TypeReference<Page<TenantView>>() {}))
        .when(services.tenants)
        .tenants(200, FakeServices.BEARER);
    doReturn(
            answer(
                "{'limits':{'cpuMillicores':4000,'memoryMib':8192,'apps':20},"
                    + "'used':{'cpuMillicores':500,'memoryMib':9000,'apps':2}}",
                QuotaView.class))
        .when(services.tenants)
        .tenantQuota("acme", FakeServices.BEARER);
    String page =
        mvc.perform(get("/").with(Users.developer("alice")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("Acme", "developer", "500 / 4000 millicores", "9000 / 8192 MiB", "over quota")
        .doesNotContain("No tenants yet");
  }

  @Test
  void anOutageIsExplainedAndTheEmptyStateSaysWhatToDo() throws Exception {
    doThrow(new ResourceAccessException("Connection refused"))
        .when(services.tenants)
        .tenants(200, FakeServices.BEARER);
    String page =
        mvc.perform(get("/").with(Users.developer("alice")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains(
            "tenant-service cannot be reached right now", "No tenants yet", "Create one below");
  }

  @Test
  void creatingATenantLeadsToItOrExplainsTheRefusal() throws Exception {
    mvc.perform(post("/tenants").param("name", "acme").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl("/t/acme"))
        .andExpect(flash().attribute("notice", "Tenant acme created."));
    verify(services.tenants).createTenant(new NewTenant("acme", null), FakeServices.BEARER);
    doThrow(FakeServices.refusal(409, "already-exists", "tenant 'taken' already exists"))
        .when(services.tenants)
        .createTenant(new NewTenant("taken", null), FakeServices.BEARER);
    mvc.perform(post("/tenants").param("name", "taken").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl("/"))
        .andExpect(flash().attribute("error", "tenant 'taken' already exists"))
        .andExpect(flash().attribute("name", "taken"));
  }
}
