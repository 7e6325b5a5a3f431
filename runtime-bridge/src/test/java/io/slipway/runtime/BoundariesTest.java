package io.slipway.runtime;

import io.slipway.testing.arch.ServiceBoundaries;
import io.slipway.testing.arch.SlipwayService;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * runtime-bridge uses no other service's code, and touches files only for its own podman sockets
 * and its VMs' volumes (QEMU's QMP socket, the console log, {@code /dev/kvm}): what build-service
 * owns (the trusted keys, the advisories, images' attestations) it asks build-service for over its
 * API (issue 20).
 */
class BoundariesTest {

  private final ServiceBoundaries boundaries = ServiceBoundaries.of(SlipwayService.RUNTIME);

  @Test
  void usesNoOtherServicesClasses() {
    boundaries.checkNoOtherServiceClasses();
  }

  @Test
  void testsUseNoOtherServicesClasses() {
    // tenant-service is run from its jar by TestTenantService, never booted in the test JVM
    boundaries.checkTestsUseNoOtherServiceClasses();
  }

  @Test
  void touchesOnlyItsOwnData() {
    // podman's socket directory, the router's check that Caddy's admin socket is private, and the
    // VMs' own volumes on podman's host
    boundaries.checkFileAccess(
        List.of("io.slipway.runtime.podman", "io.slipway.runtime.router", "io.slipway.runtime.vm"),
        List.of());
    boundaries.checkNoDefaultIntoOthersData(List.of());
  }

  @Test
  void callsOtherServicesOnlyThroughTheSharedClients() {
    boundaries.checkNoHandWrittenClients(
        List.of(
            new ServiceBoundaries.NotAService(
                "io.slipway.runtime.rollout.HealthProbe", "a tenant's app, for its health check")),
        List.of());
  }
}
