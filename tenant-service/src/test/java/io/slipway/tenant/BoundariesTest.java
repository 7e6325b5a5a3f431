package io.slipway.tenant;

import io.slipway.testing.arch.ServiceBoundaries;
import io.slipway.testing.arch.SlipwayService;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * tenant-service keeps everything in its own PostgreSQL schema and uses no other service's code.
 */
class BoundariesTest {

  private final ServiceBoundaries boundaries = ServiceBoundaries.of(SlipwayService.TENANT);

  @Test
  void usesNoOtherServicesClasses() {
    boundaries.checkNoOtherServiceClasses();
  }

  @Test
  void testsUseNoOtherServicesClasses() {
    boundaries.checkTestsUseNoOtherServiceClasses();
  }

  @Test
  void readsNoFiles() {
    boundaries.checkFileAccess(List.of(), List.of());
    boundaries.checkNoDefaultIntoOthersData(List.of());
  }
}
