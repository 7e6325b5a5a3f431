package io.slipway.build;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.testing.ResourceServerChecks;
import org.junit.jupiter.api.Test;

/** The build-service starts, reports health, and trusts only valid tokens of the slipway realm. */
class BuildServiceApplicationIT extends BuildServiceTest {

  @Test
  void isGuardedByKeycloak() {
    ResourceServerChecks.assertGuardedByKeycloak(baseUrl());
  }
}
