package io.slipway.build.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.support.BuildServiceTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Sandbox numbers against the service's real database: a tenant's number is looked up, not taken
 * again, so the identity (and the finite uid ranges after it) advances by one per new tenant.
 */
class SandboxTenantsIT extends BuildServiceTest {

  @Autowired SandboxTenants tenants;

  @Test
  void aTenantKeepsItsNumberAndTheNextTenantGetsTheNextOne() {
    String first = "tenant-" + UUID.randomUUID();
    String second = "tenant-" + UUID.randomUUID();

    long number = tenants.number(first);

    assertThat(tenants.number(first)).isEqualTo(number);
    assertThat(tenants.number(first)).isEqualTo(number);
    assertThat(tenants.find(second)).isEmpty();
    assertThat(tenants.number(second)).isEqualTo(number + 1);
    assertThat(tenants.find(first)).contains(number);
  }
}
