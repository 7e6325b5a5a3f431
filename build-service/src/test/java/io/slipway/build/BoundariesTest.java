package io.slipway.build;

import io.slipway.testing.arch.ServiceBoundaries;
import io.slipway.testing.arch.SlipwayService;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * build-service uses no other service's code, and touches files only where its own data lives:
 * repositories ({@code git}), build workspaces and images ({@code worker}), the keyring and OSV
 * files ({@code governance}), the deletion of a deleted app's repositories ({@code cleanup}),
 * external-git copies ({@code hook}), the tenants' build sandboxes ({@code sandbox}), the egress
 * proxies' sockets in them ({@code egress}), the output file a build's command writes, which its
 * caller names ({@code process}), and the sizes of the tenants' repositories, read for their
 * storage usage ({@code usage}).
 */
class BoundariesTest {

  private final ServiceBoundaries boundaries = ServiceBoundaries.of(SlipwayService.BUILD);

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
    boundaries.checkFileAccess(
        List.of(
            "io.slipway.build.git",
            "io.slipway.build.worker",
            "io.slipway.build.governance",
            "io.slipway.build.cleanup",
            "io.slipway.build.hook",
            "io.slipway.build.sandbox",
            "io.slipway.build.egress",
            "io.slipway.build.process",
            "io.slipway.build.usage",
            // its token signing key, kept in build-service's data directory as the keyring is
            "io.slipway.build.registry"),
        List.of());
    boundaries.checkNoDefaultIntoOthersData(List.of());
  }

  @Test
  void callsOtherServicesOnlyThroughTheSharedClients() {
    boundaries.checkNoHandWrittenClients(List.of(), List.of());
  }
}
