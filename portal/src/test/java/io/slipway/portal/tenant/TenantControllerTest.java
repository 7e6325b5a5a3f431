package io.slipway.portal.tenant;

import static io.slipway.portal.web.FakeServices.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.kit.client.TenantViews.NewProject;
import io.slipway.kit.client.TenantViews.TenantUsage;
import io.slipway.kit.client.TenantViews.TenantView;
import io.slipway.kit.client.TenantViews.UsageHistory;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
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
    doReturn(answer("{'name':'acme','displayName':'Acme','role':'developer'}", TenantView.class))
        .when(services.tenants)
        .tenantView("acme", FakeServices.BEARER);
    doReturn(
            answer(
                "{'limits':{'cpuMillicores':4000,'activations':10000},"
                    + "'used':{'cpuMillicores':250,'storageMib':12,'activations':42},"
                    + "'measured':[{'key':'activations','storageMib':0,'activations':42},"
                    + "{'key':'build-store','storageMib':5},{'key':'git','storageMib':3},"
                    + "{'key':'images','storageMib':2}],"
                    + "'projects':{'page':0,'size':50,'total':1,'items':[{'project':'web','limits':{},'used':{}}]}}",
                TenantUsage.class))
        .when(services.tenants)
        .usage("acme", 50, 0, FakeServices.BEARER);
    doReturn(
            answer(
                "{'days':[{'day':'2026-11-25','cpuMillicores':250,'memoryMib':128,'replicas':1,"
                    + "'concurrentBuilds':0,'storageMib':12}]}",
                UsageHistory.class))
        .when(services.tenants)
        .usageHistory("acme", 30, FakeServices.BEARER);
    String page =
        mvc.perform(get("/t/acme").with(Users.developer("a")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("Usage against quota", "250 / 4000 millicores", "usage-data", "/t/acme/p/web")
        // the functions' activations kept count against their tenant-wide limit, not as storage
        .contains("Activations kept", "42 / 10000")
        // the chart's data, as the chart's script reads it
        .contains("\"day\":\"2026-11-25\"", "\"cpuMillicores\":250", "\"memoryMib\":128")
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
    doThrow(FakeServices.refusal(404, "not-found", "tenant 'other' was not found"))
        .when(services.tenants)
        .tenantView("other", FakeServices.BEARER);
    String page =
        mvc.perform(get("/t/other").with(Users.developer("a")))
            .andExpect(status().isNotFound())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page).contains("tenant &#39;other&#39; was not found");
  }

  @Test
  void namesThatCannotBeTenantsAreNotFoundWithoutAnyCall() throws Exception {
    mvc.perform(get("/t/Not_A_Name").with(Users.developer("a"))).andExpect(status().isNotFound());
    org.mockito.Mockito.verifyNoInteractions(services.tenants);
  }

  @Test
  void creatingAProjectLeadsToIt() throws Exception {
    mvc.perform(
            post("/t/acme/projects").param("name", "web").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl("/t/acme/p/web"));
    verify(services.tenants)
        .createProject("acme", new NewProject("web", null), FakeServices.BEARER);
  }
}
