package io.slipway.portal.tenant;

import static io.slipway.portal.web.FakeServices.reads;
import static io.slipway.portal.web.FakeServices.refuses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doThrow;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.ServiceProblem;
import io.slipway.portal.web.Users;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

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
    reads(
        services.tenant,
        "{'items':[{'name':'acme','displayName':'Acme','role':'developer'}]}",
        "/api/v1/tenants?size=200");
    reads(
        services.tenant,
        "{'limits':{'cpuMillicores':4000,'memoryMib':8192,'apps':20},"
            + "'used':{'cpuMillicores':500,'memoryMib':9000,'apps':2}}",
        "/api/v1/tenants/{t}/quota",
        "acme");
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
    refuses(
        services.tenant,
        new ServiceProblem(503, "tenant-service cannot be reached right now; try again shortly"),
        "/api/v1/tenants?size=200");
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
    doThrow(new ServiceProblem(409, "already-exists", "tenant 'taken' already exists"))
        .when(services.tenant)
        .post(Map.of("name", "taken"), "/api/v1/tenants");
    mvc.perform(post("/tenants").param("name", "taken").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl("/"))
        .andExpect(flash().attribute("error", "tenant 'taken' already exists"))
        .andExpect(flash().attribute("name", "taken"));
  }
}
