package io.slipway.portal.token;

import static io.slipway.portal.web.FakeServices.reads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

@PortalSliceTest(TokenController.class)
class TokenControllerTest {

  @Autowired MockMvc mvc;
  @Autowired FakeServices services;

  @BeforeEach
  void clear() {
    services.clear();
  }

  @Test
  void aNewTokenIsShownOnceAfterCreation() throws Exception {
    doReturn(FakeServices.json("{'token':'slp_secretvalue'}"))
        .when(services.tenant)
        .post(
            Map.of("name", "laptop", "scopes", List.of("git"), "expiresInDays", 7),
            "/api/v1/tokens");
    var created =
        mvc.perform(
                post("/tokens")
                    .param("name", "laptop")
                    .param("scopes", "git")
                    .param("expiresInDays", "7")
                    .with(csrf())
                    .with(Users.developer("a")))
            .andExpect(redirectedUrl("/tokens"))
            .andReturn();
    reads(services.tenant, "{'items':[]}", "/api/v1/tokens?size=200");
    String shown =
        mvc.perform(get("/tokens").flashAttrs(created.getFlashMap()).with(Users.developer("a")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(shown).contains("slp_secretvalue", "shown only once");
    String again =
        mvc.perform(get("/tokens").with(Users.developer("a")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(again).doesNotContain("slp_secretvalue").contains("No tokens yet");
  }

  @Test
  void revokingATokenGoesToTenantService() throws Exception {
    mvc.perform(post("/tokens/42/revoke").with(csrf()).with(Users.developer("a")))
        .andExpect(redirectedUrl("/tokens"));
    verify(services.tenant).delete("/api/v1/tokens/{id}", "42");
  }
}
