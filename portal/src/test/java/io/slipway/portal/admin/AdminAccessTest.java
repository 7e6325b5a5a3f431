package io.slipway.portal.admin;

import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/** Every admin page is for platform admins only. */
@PortalSliceTest({
  TenantOverviewController.class,
  TenantQuotaController.class,
  AuditLogController.class
})
class AdminAccessTest {

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
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
    verifyNoInteractions(services.tenants);
  }
}
