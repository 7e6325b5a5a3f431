package io.slipway.tenant.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class ActorArgumentResolverTest {

  @Test
  void readsKeycloakClaims() {
    Jwt admin =
        jwt(
            Map.of(
                "preferred_username",
                "root",
                "realm_access",
                Map.of("roles", List.of("platform-admin", "x"))));
    assertThat(ActorArgumentResolver.actorOf(admin)).isEqualTo(new Actor("root", true, false));

    Jwt service =
        jwt(
            Map.of(
                "preferred_username",
                "service-account-build",
                "realm_access",
                Map.of("roles", List.of("slipway-service"))));
    assertThat(ActorArgumentResolver.actorOf(service))
        .isEqualTo(new Actor("service-account-build", false, true));
  }

  @Test
  void fallsBackToTheSubjectAndNoRoles() {
    assertThat(ActorArgumentResolver.actorOf(jwt(Map.of("realm_access", "not-a-map"))))
        .isEqualTo(new Actor("subject-1", false, false));
  }

  @Test
  void aPersonalAccessTokenActsAsAPlainUserWhateverItsOwnerIs() {
    // the token of a platform admin carries no admin powers: those come only from a JWT
    TokenHolder holder = new TokenHolder("root", Set.of(TokenScope.API, TokenScope.GIT));
    assertThat(ActorArgumentResolver.actorOf(new PersonalAccessTokenAuthentication(holder)))
        .isEqualTo(Actor.user("root"));
  }

  private static Jwt jwt(Map<String, Object> claims) {
    Jwt.Builder builder =
        Jwt.withTokenValue("t")
            .header("alg", "RS256")
            .subject("subject-1")
            .issuedAt(Instant.now())
            .expiresAt(Instant.now().plusSeconds(60));
    claims.forEach(builder::claim);
    return builder.build();
  }
}
