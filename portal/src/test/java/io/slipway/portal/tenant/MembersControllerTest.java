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

import io.slipway.kit.client.TenantViews.MemberRole;
import io.slipway.kit.client.TenantViews.MemberView;
import io.slipway.kit.client.TenantViews.Page;
import io.slipway.kit.client.TenantViews.TenantView;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.core.type.TypeReference;

@PortalSliceTest(MembersController.class)
class MembersControllerTest {

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void members() {
    services.clear();
    doReturn(answer("{'name':'acme','displayName':'Acme','role':'tenant-admin'}", TenantView.class))
        .when(services.tenants)
        .tenantView("acme", FakeServices.BEARER);
    doReturn(
            answer(
                "{'items':[{'username':'alice','role':'tenant-admin'},"
                    + "{'username':'bob','role':'viewer'}],'page':0,'size':200,'total':2}",
                new TypeReference<Page<MemberView>>() {}))
        .when(services.tenants)
        .tenantMembers("acme", 200, FakeServices.BEARER);
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
    verify(services.tenants)
        .putMember("acme", "carol", new MemberRole("developer"), FakeServices.BEARER);

    doThrow(FakeServices.refusal(409, "last-admin", "acme must keep at least one tenant-admin"))
        .when(services.tenants)
        .removeMember("acme", "alice", FakeServices.BEARER);
    mvc.perform(post("/t/acme/members/alice/remove").with(csrf()).with(Users.developer("alice")))
        .andExpect(flash().attribute("error", "acme must keep at least one tenant-admin"));
  }
}
