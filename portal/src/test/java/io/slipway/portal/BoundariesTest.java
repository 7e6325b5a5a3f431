package io.slipway.portal;

import io.slipway.testing.arch.ServiceBoundaries;
import io.slipway.testing.arch.SlipwayService;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The portal is a backend for the frontend: it owns no data and uses no service's code. */
class BoundariesTest {

  private final ServiceBoundaries boundaries = ServiceBoundaries.of(SlipwayService.PORTAL);

  @Test
  void usesNoServicesClasses() {
    boundaries.checkNoOtherServiceClasses();
  }

  @Test
  void testsUseNoOtherServicesClasses() {
    // the browser tests run the services from their jars
    boundaries.checkTestsUseNoOtherServiceClasses();
  }

  @Test
  void readsNoFiles() {
    boundaries.checkFileAccess(List.of(), List.of());
    boundaries.checkNoDefaultIntoOthersData(List.of());
  }

  @Test
  void callsOtherServicesOnlyThroughTheSharedClients() {
    boundaries.checkNoHandWrittenClients(List.of(), List.of());
  }
}
