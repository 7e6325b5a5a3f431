package io.slipway.build.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.tenant.TenantClient.StorageStanding;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a push is refused for storage, and what the refusal tells the pusher. */
class StorageQuotaLimitTest {

  private static final long MIB = 1024 * 1024;

  private static Map<String, Long> measured(long git, long images, long store) {
    Map<String, Long> parts = new LinkedHashMap<>();
    parts.put("build-store", store);
    parts.put("git", git);
    parts.put("images", images);
    return parts;
  }

  @Test
  void aPushThatTakesTheTenantOverItsQuotaIsRefusedWithTheFiguresAndWhatCanGo() {
    StorageStanding standing = new StorageStanding(null, 0, 10L, 9, measured(3, 4, 1));

    assertThat(StorageQuotaLimit.refusal(standing, 3 * MIB, 3 * MIB, 2 * MIB))
        .contains(
            "the tenant's storage would be 11.0 MiB, over its storage quota of 10 MiB"
                + " (storageMib); it holds images 4 MiB, git repositories 3 MiB, build cache 1 MiB,"
                + " reserved 1 MiB: delete apps or projects it no longer needs (their"
                + " repositories, images and build cache go with them), or ask a platform admin"
                + " for more");
  }

  @Test
  void aPushWithinTheQuotaPassesAndOneAlreadyOverIsRefusedEvenIfItAddsNothing() {
    assertThat(
            StorageQuotaLimit.refusal(
                new StorageStanding(null, 0, 10L, 9, measured(3, 4, 2)), 3 * MIB, 3 * MIB, MIB))
        .isEmpty();
    assertThat(
            StorageQuotaLimit.refusal(
                new StorageStanding(null, 0, 10L, 12, measured(3, 7, 2)), 3 * MIB, 3 * MIB, 0))
        .hasValueSatisfying(
            reason -> assertThat(reason).startsWith("the tenant's storage would be 12.0 MiB"));
    // no limit: nothing to exceed
    assertThat(
            StorageQuotaLimit.refusal(
                new StorageStanding(null, 0, null, 900, measured(3, 4, 2)), 3 * MIB, 3 * MIB, MIB))
        .isEmpty();
  }

  @Test
  void theProjectsLimitOnTheRepositoryComesFirst() {
    assertThat(
            StorageQuotaLimit.refusal(
                new StorageStanding(1L, 0, 10L, 9, measured(3, 4, 2)),
                3 * MIB + MIB / 10,
                3 * MIB + MIB / 10,
                2 * MIB))
        .contains(
            "the repository would be 3.1 MiB, over the project's storage quota of 1 MiB"
                + " (storageMib)");
  }

  @Test
  void theProjectsOtherRepositoriesAndReservationsCountAgainstItsLimit() {
    // this repository alone fits in 5 MiB; with the project's other one and its reservation not
    assertThat(
            StorageQuotaLimit.refusal(
                new StorageStanding(5L, 1, 100L, 9, measured(3, 4, 2)),
                2 * MIB,
                4 * MIB + MIB / 2,
                MIB))
        .contains(
            "the project's storage would be 5.5 MiB (this repository 2.0 MiB), over its storage"
                + " quota of 5 MiB (storageMib): delete apps of the project it no longer needs,"
                + " or ask a tenant admin for more");
    assertThat(
            StorageQuotaLimit.refusal(
                new StorageStanding(5L, 0, 100L, 9, measured(3, 4, 2)),
                2 * MIB,
                4 * MIB + MIB / 2,
                MIB))
        .isEmpty();
  }
}
