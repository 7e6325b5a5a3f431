package io.slipway.tenant;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The features (access, audit, catalog, quota, token, web) depend on each other only through their
 * APIs, without cycles.
 */
class ModularityTest {

  @Test
  void featureBoundariesHold() {
    ApplicationModules.of(TenantServiceApplication.class).verify();
  }
}
