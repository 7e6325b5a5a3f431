package io.slipway.runtime;

import io.slipway.testing.arch.KnownViolation;
import io.slipway.testing.arch.ServiceBoundaries;
import io.slipway.testing.arch.SlipwayService;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * runtime-bridge uses no other service's code, and touches files only for its own podman sockets.
 * It still reads build-service's folders for governance data: the one known crossing.
 */
class BoundariesTest {

  /**
   * Issue 20 ("one owner per piece of data"): image admission reads the trusted signing keys and
   * the OSV advisory files from build-service's data directory ({@code build-data/.governance}).
   * The fix is for build-service to serve them over its API (as it serves attestations to {@code
   * BuildAttestations}) and for this class to ask it; until then these are the only exceptions.
   */
  static final List<KnownViolation> READS_BUILD_SERVICE_FILES =
      List.of(
          new KnownViolation(
              "io.slipway.runtime.admission.GovernanceSource",
              "reads build-service's trusted keys and advisories from disk (issue 20)"));

  static final List<KnownViolation> DEFAULTS_INTO_BUILD_DATA =
      List.of(
          new KnownViolation(
              "io.slipway.runtime.admission.AdmissionProperties",
              "trusted-keys-dir and advisories-dir default into build-data/ (issue 20)"));

  private final ServiceBoundaries boundaries = ServiceBoundaries.of(SlipwayService.RUNTIME);

  @Test
  void usesNoOtherServicesClasses() {
    boundaries.checkNoOtherServiceClasses();
  }

  @Test
  void touchesOnlyItsOwnDataButForTheKnownCrossing() {
    // podman's socket directory, and the router's check that Caddy's admin socket is private
    boundaries.checkFileAccess(
        List.of("io.slipway.runtime.podman", "io.slipway.runtime.router"),
        READS_BUILD_SERVICE_FILES);
    boundaries.checkNoDefaultIntoOthersData(DEFAULTS_INTO_BUILD_DATA);
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
