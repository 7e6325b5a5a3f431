package io.slipway.kit.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.kit.problem.Problem;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

class PersonalAccessTokenAuthenticationTest {

  private static final String SECRET = "slp_" + "a".repeat(40);

  @Test
  void aTokenActsAsItsOwnerWithoutRealmRolesOrAClient() {
    var token =
        new PersonalAccessTokenAuthentication(
            SECRET, "alice", Set.of("api", "git"), Instant.parse("2027-01-01T00:00:00Z"));
    Jwt principal = (Jwt) token.getPrincipal();
    assertThat(token.getName()).isEqualTo("alice");
    assertThat(principal.getTokenValue()).isEqualTo(SECRET);
    assertThat(principal.getClaimAsString("preferred_username")).isEqualTo("alice");
    assertThat(principal.getSubject()).isEqualTo("alice");
    assertThat(principal.getClaimAsString("scope")).isEqualTo("api git");
    assertThat(principal.getClaims()).doesNotContainKeys("realm_access", "azp");
    assertThat(RealmRoles.platformAdmin(principal.getClaims())).isFalse();
    assertThat(RealmRoles.has(principal.getClaims(), RealmRoles.SERVICE)).isFalse();
    assertThat(token.getAuthorities())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("SCOPE_api", "SCOPE_git");
  }

  @Test
  void theApiNeedsTheApiScopeAndSaysWhichScopesATokenHas() {
    // tenant-service does not say whose a token is when it lacks the scope asked for
    var gitOnly = new PersonalAccessTokenAuthentication(SECRET, null, Set.of("git"), null);
    var api = new PersonalAccessTokenAuthentication(SECRET, "alice", Set.of("api"), null);
    RequestAuthorizationContext request =
        new RequestAuthorizationContext(new MockHttpServletRequest());
    assertThat(ApiSecurity.apiAccess().authorize(() -> gitOnly, request).isGranted()).isFalse();
    assertThat(ApiSecurity.apiAccess().authorize(() -> api, request).isGranted()).isTrue();
    var jwt = new TestingAuthenticationToken("bob", null, "ROLE_USER");
    assertThat(ApiSecurity.apiAccess().authorize(() -> jwt, request).isGranted()).isTrue();

    Problem problem = ApiSecurity.missingScope(gitOnly).orElseThrow();
    assertThat(problem.status().value()).isEqualTo(403);
    assertThat(problem.toMap())
        .containsEntry("type", "https://slipway.io/problems/token-scope")
        .containsEntry(
            "detail",
            "This personal access token has the scopes git; the API needs a token with the scope api");
    assertThat(ApiSecurity.missingScope(api)).isEmpty();
    assertThat(ApiSecurity.missingScope(jwt)).isEmpty();
  }

  @Test
  void bearerTokensAreToldApartByTheirPrefix() {
    AuthenticationManager jwt = authentication -> authentication;
    AuthenticationManager tokens = authentication -> authentication;
    BearerTokens managers = new BearerTokens(jwt, tokens);
    assertThat(managers.resolve(bearer(SECRET))).isSameAs(tokens);
    assertThat(managers.resolve(bearer("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"))).isSameAs(jwt);
    assertThat(managers.resolve(new MockHttpServletRequest())).isSameAs(jwt);
  }

  private static MockHttpServletRequest bearer(String token) {
    MockHttpServletRequest request = new MockHttpServletRequest();
    request.addHeader("Authorization", "Bearer " + token);
    return request;
  }
}
