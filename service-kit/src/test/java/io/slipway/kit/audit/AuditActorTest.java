package io.slipway.kit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.kit.audit.AuditActor.Kind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The one rule every service names actors by. */
class AuditActorTest {

  @Test
  void aUserIsNamedByUserNameAndKeptByTheirId() {
    Jwt alice =
        jwt(
            "0b6c-sub",
            Map.of("preferred_username", "alice", "azp", "portal", "realm_access", roles("x")));
    assertThat(AuditActor.of(alice))
        .isEqualTo(new AuditActor(Kind.USER, "alice", "0b6c-sub", null));
    // a platform admin is a user too; the role changes what they may do, not their name
    assertThat(
            AuditActor.of(
                jwt(
                    "root-sub",
                    Map.of("preferred_username", "root", "realm_access", roles("platform-admin")))))
        .isEqualTo(new AuditActor(Kind.USER, "root", "root-sub", null));
  }

  @Test
  void aUserWithoutAUserNameIsNamedByTheirId() {
    assertThat(AuditActor.of(jwt("sub-7", Map.of("azp", "slipway-cli"))))
        .isEqualTo(new AuditActor(Kind.USER, "sub-7", "sub-7", null));
  }

  @Test
  void aServiceIsNamedByItsClientWhicheverWayKeycloakNamesItsAccount() {
    Jwt byRole =
        jwt(
            "svc-sub",
            Map.of(
                "preferred_username",
                "service-account-build-service",
                "azp",
                "build-service",
                "realm_access",
                roles("slipway-service")));
    assertThat(AuditActor.of(byRole))
        .isEqualTo(new AuditActor(Kind.SERVICE, "build-service", null, null));
    Jwt byAccount =
        jwt(
            "svc-sub",
            Map.of(
                "preferred_username", "service-account-runtime-bridge", "azp", "runtime-bridge"));
    assertThat(AuditActor.of(byAccount).name()).isEqualTo("runtime-bridge");
    assertThat(AuditActor.of(byAccount).kind()).isEqualTo(Kind.SERVICE);
  }

  @Test
  void aPersonalAccessTokenIsItsOwnerPlusTheTokenIdInBothShapes() {
    // the services' shape: a JWT-like principal with the token's kind and id as claims
    Jwt principal =
        jwt(
            "alice",
            Map.of(
                "preferred_username",
                "alice",
                AuditActor.TOKEN_KIND_CLAIM,
                AuditActor.PERSONAL_ACCESS_TOKEN,
                AuditActor.TOKEN_ID_CLAIM,
                "42"));
    assertThat(AuditActor.of(principal)).isEqualTo(new AuditActor(Kind.TOKEN, "alice", null, "42"));
    assertThat(AuditActor.of(new JwtAuthenticationToken(principal)))
        .isEqualTo(AuditActor.token("alice", "42"));

    // tenant-service's shape: an authentication that says whose token it is
    class Token extends UsernamePasswordAuthenticationToken implements TokenPrincipal {
      Token() {
        super("alice", null, List.of());
      }

      @Override
      public String owner() {
        return "alice";
      }

      @Override
      public String tokenId() {
        return "42";
      }
    }
    assertThat(AuditActor.of(new Token())).isEqualTo(AuditActor.token("alice", "42"));
  }

  @Test
  void aTokenIsNeverAServiceWhateverItsOwnerIsCalled() {
    Jwt principal =
        jwt(
            "service-account-build-service",
            Map.of(
                "preferred_username",
                "service-account-build-service",
                "azp",
                "build-service",
                AuditActor.TOKEN_KIND_CLAIM,
                AuditActor.PERSONAL_ACCESS_TOKEN));
    assertThat(AuditActor.of(principal).kind()).isEqualTo(Kind.TOKEN);
  }

  @Test
  void anythingElseIsNotAnActor() {
    assertThatThrownBy(() -> AuditActor.of((org.springframework.security.core.Authentication) null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> AuditActor.of(new UsernamePasswordAuthenticationToken("x", "y", List.of())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Set.of(Kind.values()).stream().map(Kind::value))
        .containsExactlyInAnyOrder("user", "token", "service");
  }

  private static Map<String, Object> roles(String... roles) {
    return Map.of("roles", List.of(roles));
  }

  static Jwt jwt(String subject, Map<String, Object> claims) {
    Jwt.Builder builder =
        Jwt.withTokenValue("t")
            .header("alg", "RS256")
            .subject(subject)
            .issuedAt(Instant.now())
            .expiresAt(Instant.now().plusSeconds(60));
    claims.forEach(builder::claim);
    return builder.build();
  }
}
