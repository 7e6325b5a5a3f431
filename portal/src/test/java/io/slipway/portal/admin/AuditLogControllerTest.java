package io.slipway.portal.admin;

import static io.slipway.portal.web.FakeServices.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doReturn;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.slipway.kit.client.TenantViews.AuditEvent;
import io.slipway.kit.client.TenantViews.Page;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.core.type.TypeReference;

@PortalSliceTest(AuditLogController.class)
class AuditLogControllerTest {

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
  }

  @Test
  void theAuditLogIsFilteredByTenantAndActor() throws Exception {
    doReturn(
            answer(
                "{'page':0,'size':50,'total':1,'items':[{'id':3,'at':'2026-11-25T10:00:00Z',"
                    + "'actor':'root','action':'quota.updated','target':'acme',"
                    + "'before':{'apps':5},'after':{'apps':0}}]}",
                new TypeReference<Page<AuditEvent>>() {}))
        .when(services.tenants)
        .audit("acme", "root", 0, 50, FakeServices.BEARER);
    String page =
        mvc.perform(
                get("/admin/audit")
                    .param("tenant", "acme")
                    .param("actor", "root")
                    .with(Users.platformAdmin("root")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page).contains("quota.updated", "{&quot;apps&quot;:0}", "2026-11-25T10:00:00Z");
  }
}
