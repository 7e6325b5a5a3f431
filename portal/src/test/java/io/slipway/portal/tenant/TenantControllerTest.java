package io.slipway.portal.tenant;

import static io.slipway.portal.web.FakeServices.reads;
import static io.slipway.portal.web.FakeServices.refuses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.ServiceProblem;
import io.slipway.portal.web.Users;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

@PortalSliceTest(TenantController.class)
class TenantControllerTest {

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
  }

  @Test
  void theTenantPageShowsUsageHistoryAndProjects() throws Exception {
    reads(
        services.tenant,
        "{'name':'acme','displayName':'Acme','role':'developer'}",
        "/api/v1/tenants/{t}",
        "acme");
    reads(
        services.tenant,
        "{'limits':{'cpuMillicores':4000},'used':{'cpuMillicores':250,'storageMib':12},"
            + "'measured':[{'key':'build-store','storageMib':5},{'key':'git','storageMib':3},"
            + "{'key':'images','storageMib':2}],"
            + "'projects':{'total':1,'items':[{'project':'web','limits':{},'used':{}}]}}",
        "/api/v1/tenants/{t}/usage?size=50&page={p}",
        "acme",
        0);
    reads(
        services.tenant,
        "{'days':[{'day':'2026-11-25','cpuMillicores':250,'memoryMib':128}]}",
        "/api/v1/tenants/{t}/usage/history?days=30",
        "acme");
    String page =
        mvc.perform(get("/t/acme").with(Users.developer("a")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("Usage against quota", "250 / 4000 millicores", "usage-data", "/t/acme/p/web")
        .contains("uPlot.iife.min.js")
        // the storage meter's parts: each store measured on disk, and what is reserved beside
        .contains("Storage by kind")
        .containsSubsequence(
            "<td>Build cache (the build sandbox&#39;s store)</td><td>5</td>",
            "<td>Git repositories</td><td>3</td>",
            "<td>Images</td><td>2</td>",
            "<td>Reserved</td><td>2</td>")
        .contains("href=\"/t/acme/members\"", "href=\"/t/acme/image-policy\"");
  }

  @Test
  void aTenantTheUserIsNotInIsNotFound() throws Exception {
    refuses(
        services.tenant,
        new ServiceProblem(404, "not-found", "tenant 'other' was not found"),
        "/api/v1/tenants/{t}",
        "other");
    mvc.perform(get("/t/other").with(Users.developer("a"))).andExpect(status().isNotFound());
  }

  @Test
  void namesThatCannotBeTenantsAreNotFoundWithoutAnyCall() throws Exception {
    mvc.perform(get("/t/Not_A_Name").with(Users.developer("a"))).andExpect(status().isNotFound());
    org.mockito.Mockito.verifyNoInteractions(services.tenant);
  }

  @Test
  void creatingAProjectLeadsToIt() throws Exception {
    mvc.perform(
            post("/t/acme/projects").param("name", "web").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl("/t/acme/p/web"));
    verify(services.tenant).post(Map.of("name", "web"), "/api/v1/tenants/{t}/projects", "acme");
  }
}
