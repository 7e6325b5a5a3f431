package io.slipway.kit.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RealmRolesTest {

  @Test
  void readsKeycloaksRealmRoles() {
    Map<String, Object> claims =
        Map.of("realm_access", Map.of("roles", List.of("platform-admin", "offline_access")));

    assertThat(RealmRoles.of(claims)).containsExactlyInAnyOrder("platform-admin", "offline_access");
    assertThat(RealmRoles.platformAdmin(claims)).isTrue();
    assertThat(RealmRoles.has(claims, RealmRoles.SERVICE)).isFalse();
  }

  @Test
  void aClaimOfAnotherShapeGivesNoRoles() {
    assertThat(RealmRoles.of(Map.of())).isEmpty();
    assertThat(RealmRoles.of(Map.of("realm_access", "platform-admin"))).isEmpty();
    assertThat(RealmRoles.of(Map.of("realm_access", Map.of("roles", "platform-admin")))).isEmpty();
    assertThat(RealmRoles.platformAdmin(Map.of("roles", List.of("platform-admin")))).isFalse();
  }
}
