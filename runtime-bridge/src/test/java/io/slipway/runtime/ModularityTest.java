package io.slipway.runtime;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The features (deploy, driver, egress, kubernetes, model, podman, render, rollout, router, secret,
 * tenant, web) depend on each other only through their public types, without cycles.
 */
class ModularityTest {

  @Test
  void featureBoundariesHold() {
    ApplicationModules.of(RuntimeBridgeApplication.class).verify();
  }
}
