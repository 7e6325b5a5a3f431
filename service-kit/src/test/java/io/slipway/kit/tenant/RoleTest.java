package io.slipway.kit.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoleTest {

  @Test
  void eachRoleIncludesTheOnesBeforeIt() {
    assertThat(Role.TENANT_ADMIN.atLeast(Role.DEVELOPER)).isTrue();
    assertThat(Role.DEVELOPER.atLeast(Role.DEVELOPER)).isTrue();
    assertThat(Role.VIEWER.atLeast(Role.DEVELOPER)).isFalse();
  }

  @Test
  void rolesAreNamedAsInJson() {
    assertThat(Role.of("tenant-admin")).isEqualTo(Role.TENANT_ADMIN);
    assertThat(Role.DEVELOPER.value()).isEqualTo("developer");
    assertThat(Role.parse("")).isEmpty();
    assertThat(Role.parse(null)).isEmpty();
    assertThatThrownBy(() -> Role.of("owner"))
        .hasMessage("role must be one of viewer, developer, tenant-admin");
  }

  @Test
  void quotaResourcesHaveTheirJsonNames() {
    assertThat(QuotaResource.fields())
        .isEqualTo(
            "cpuMillicores, memoryMib, apps, replicas, concurrentBuilds, buildMinutes,"
                + " storageMib, activations");
  }
}
