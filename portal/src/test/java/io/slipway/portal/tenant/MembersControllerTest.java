package io.slipway.portal.tenant;

import static io.slipway.portal.web.FakeServices.reads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verify;
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

@PortalSliceTest(MembersController.class)
class MembersControllerTest {

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void members() {
    services.clear();
    reads(
        services.tenant,
        "{'name':'acme','displayName':'Acme','role':'tenant-admin'}",
        "/api/v1/tenants/{t}",
        "acme");
    reads(
        services.tenant,
        "{'items':[{'username':'alice','role':'tenant-admin'},{'username':'bob','role':'viewer'}]}",
        "/api/v1/tenants/{t}/members?size=200",
        "acme");
  }

  @Test
  void aTenantAdminSeesRoleSelectorsAndTheInviteForm() throws Exception {
    String page =
        mvc.perform(get("/t/acme/members").with(Users.developer("alice")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page).contains("Role of <span>bob</span>", "Add a member", "Remove");
  }

  @Test
  void invitingChangingAndRemovingGoThroughTenantService() throws Exception {
    mvc.perform(
            post("/t/acme/members")
                .param("username", "carol")
                .param("role", "developer")
                .with(csrf())
                .with(Users.developer("alice")))
        .andExpect(redirectedUrl("/t/acme/members"))
        .andExpect(flash().attribute("notice", "carol is now developer."));
    verify(services.tenant)
        .put(Map.of("role", "developer"), "/api/v1/tenants/{t}/members/{u}", "acme", "carol");

    doThrow(new ServiceProblem(409, "last-admin", "acme must keep at least one tenant-admin"))
        .when(services.tenant)
        .delete("/api/v1/tenants/{t}/members/{u}", "acme", "alice");
    mvc.perform(post("/t/acme/members/alice/remove").with(csrf()).with(Users.developer("alice")))
        .andExpect(flash().attribute("error", "acme must keep at least one tenant-admin"));
  }
}
