package io.slipway.portal.admin;

import static io.slipway.portal.web.FakeServices.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doReturn;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.kit.client.TenantViews.Page;
import io.slipway.kit.client.TenantViews.TenantOverview;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.core.type.TypeReference;

@PortalSliceTest(TenantOverviewController.class)
class TenantOverviewControllerTest {

  private static final TypeReference<Page<TenantOverview>> PAGE = new TypeReference<>() {};

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
  }

  @Test
  void theOverviewIsSortedSearchedAndPagedByTenantServiceWithOveragesMarked() throws Exception {
    doReturn(
            answer(
                "{'page':1,'size':25,'total':60,'items':[{'name':'big','displayName':'Big',"
                    + "'limits':{'memoryMib':100},'used':{'memoryMib':150},"
                    + "'overages':{'memoryMib':50}},{'name':'small','displayName':'Small',"
                    + "'limits':{'memoryMib':100},'used':{'memoryMib':1},'overages':{}}]}",
                PAGE))
        .when(services.tenants)
        .overview("b", "memoryMib,desc", 1, 25, FakeServices.BEARER);
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
    doReturn(answer("{'page':0,'size':25,'total':0,'items':[]}", PAGE))
        .when(services.tenants)
        .overview("", "name,asc", 0, 25, FakeServices.BEARER);
    String page =
        mvc.perform(get("/admin").param("sort", "x;drop").with(Users.platformAdmin("root")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page).contains("No tenants yet");
  }
}
