package io.slipway.portal.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import io.slipway.kit.client.TenantViews.CreatedToken;
import io.slipway.kit.client.TenantViews.NewToken;
import io.slipway.kit.client.TenantViews.Page;
import io.slipway.kit.client.TenantViews.Token;
import io.slipway.portal.web.FakeServices;
import io.slipway.portal.web.PortalSliceTest;
import io.slipway.portal.web.Users;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    doReturn(
            new CreatedToken(
                9, "laptop", List.of("git"), "slp_secr", null, null, "slp_secretvalue"))
        .when(services.tenants)
        .createToken(new NewToken("laptop", List.of("git"), 7), FakeServices.BEARER);
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
    doReturn(new Page<Token>(List.of(), 0, 200, 0))
        .when(services.tenants)
        .tokens(200, FakeServices.BEARER);
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
    verify(services.tenants).revokeToken(42, FakeServices.BEARER);
  }

  @Test
  void tokensAreListedWithScopesInWordsAndRelativeTimes() throws Exception {
    Instant now = Instant.now();
    Instant longAgo = Instant.parse("2020-01-31T00:00:00Z");
    doReturn(
            new Page<>(
                List.of(
                    new Token(
                        7,
                        "laptop",
                        List.of("git", "api"),
                        "slp_ab12",
                        now.minus(Duration.ofDays(2)),
                        now.plus(Duration.ofDays(28)).plusSeconds(60),
                        null,
                        null,
                        "active"),
                    new Token(
                        8,
                        "old",
                        List.of("api"),
                        "slp_cd34",
                        longAgo,
                        now.minus(Duration.ofDays(40)),
                        longAgo,
                        null,
                        "expired")),
                0,
                200,
                2))
        .when(services.tenants)
        .tokens(200, FakeServices.BEARER);
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
