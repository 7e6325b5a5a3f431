package io.slipway.build;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The features (git, queue, worker, tenant, web) depend on each other only through their APIs,
 * without cycles.
 */
class ModularityTest {

  @Test
  void featureBoundariesHold() {
    ApplicationModules.of(BuildServiceApplication.class).verify();
  }
}
