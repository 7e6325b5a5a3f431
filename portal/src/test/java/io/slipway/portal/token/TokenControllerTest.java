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
import java.time.Duration;
import java.time.Instant;
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

  @Test
  void tokensAreListedWithScopesInWordsAndRelativeTimes() throws Exception {
    Instant now = Instant.now();
    reads(
        services.tenant,
        "{'items':[{'id':7,'name':'laptop','prefix':'slp_ab12','scopes':['git','api'],"
            + "'createdAt':'"
            + now.minus(Duration.ofDays(2))
            + "','expiresAt':'"
            + now.plus(Duration.ofDays(28)).plusSeconds(60)
            + "','lastUsedAt':null,'status':'active'},"
            + "{'id':8,'name':'old','prefix':'slp_cd34','scopes':['api'],"
            + "'createdAt':'2020-01-31T00:00:00Z','expiresAt':'"
            + now.minus(Duration.ofDays(40))
            + "','lastUsedAt':'2020-01-31T00:00:00Z','status':'expired'}]}",
        "/api/v1/tokens?size=200");
    String page =
        mvc.perform(get("/tokens").with(Users.developer("a")))
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page)
        .contains("git: push and clone", "api: the REST API")
        .contains(">in 28 days<", ">2 days ago<", ">never<")
        .contains("expired 40 days ago")
        .contains("title=\"2020-01-31 00:00:00 UTC\"", "datetime=\"2020-01-31T00:00:00Z\"")
        .doesNotContain("[api, git]", "[\"git\",\"api\"]");
    // the expired token offers no revoke button; the active one does
    assertThat(page).contains("/tokens/7/revoke").doesNotContain("/tokens/8/revoke");
  }
}
