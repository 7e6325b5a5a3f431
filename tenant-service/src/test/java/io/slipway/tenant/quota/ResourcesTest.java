package io.slipway.tenant.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.kit.problem.Problem;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourcesTest {

  private static final Resources LIMITS =
      new Resources(1000L, 2048L, 5L, 10L, 2L, 100L, 4096L, 10L, 10_000L);

  @Test
  void overNamesEachResourceAboveItsLimitByHowMuch() {
    Resources used = new Resources(1500L, 2048L, 6L, 0L, 0L, 0L, 0L, 0L, 0L);
    assertThat(used.over(LIMITS))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(Resource.CPU_MILLICORES, 500L, Resource.APPS, 1L));
  }

  @Test
  void nullLimitsAreNeverExceeded() {
    Resources used = new Resources(1_000_000L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
    assertThat(used.over(Resources.of(r -> null))).isEmpty();
  }

  @Test
  void effectiveProjectLimitsAreTheSmallerOfProjectAndTenant() {
    Resources own = new Resources(500L, null, 10L, null, null, null, null, null, null);
    Resources effective = QuotaService.effective(own, Resources.of(r -> null), LIMITS);
    assertThat(effective)
        .isEqualTo(new Resources(500L, 2048L, 5L, 10L, 2L, 100L, 4096L, 10L, null));
  }

  @Test
  void activationsHaveNoLimitInAProjectTheyAreBoundedPerTenantOnly() {
    Resources none = Resources.of(r -> null);
    assertThat(QuotaService.effective(none, none, LIMITS).activations()).isNull();
    Resources used = Resources.ZERO.with(Resource.ACTIVATIONS, 20_000L);
    assertThat(used.over(QuotaService.effective(none, none, LIMITS))).isEmpty();
    assertThat(used.over(LIMITS)).containsExactlyEntriesOf(Map.of(Resource.ACTIVATIONS, 10_000L));
  }

  @Test
  void aProjectWithoutItsOwnPreviewsLimitGetsTheDefaultBoundedByTheTenants() {
    Resources defaults = new QuotaProperties(defaultQuota(10), 3).projectDefaults();
    Resources none = Resources.of(r -> null);
    assertThat(QuotaService.effective(none, defaults, LIMITS).previews()).isEqualTo(3);
    assertThat(
            QuotaService.effective(none, defaults, LIMITS.with(Resource.PREVIEWS, 2L)).previews())
        .isEqualTo(2);
    Resources own = none.with(Resource.PREVIEWS, 7L);
    assertThat(QuotaService.effective(own, defaults, LIMITS).previews()).isEqualTo(7);
    // only previews has a project default: the rest are the tenant's
    assertThat(QuotaService.effective(none, defaults, LIMITS).apps()).isEqualTo(5);
  }

  @Test
  void validationNamesEveryBadField() {
    Resources bad = new Resources(-1L, null, 5L, 100_001L, 2L, 100L, 4096L, 1L, 10_000_001L);
    assertThatThrownBy(() -> bad.validate(true))
        .isInstanceOfSatisfying(
            Problem.class,
            problem ->
                assertThat(problem.getMessage())
                    .isEqualTo(
                        "cpuMillicores must be between 0 and 1000000; memoryMib is required;"
                            + " replicas must be between 0 and 100000;"
                            + " activations must be between 0 and 10000000"));
    assertThat(new Resources(null, null, null, null, null, null, 1L, null, null).validate(false))
        .isNotNull();
  }

  @Test
  void aBadDefaultQuotaFailsAtStartUpNamingTheKey() {
    assertThatThrownBy(
            () ->
                new QuotaProperties(
                    new QuotaProperties.DefaultQuota(-5, 8192, 20, 40, 2, 1000, 20480, 10, 10_000),
                    3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slipway.tenant.default-quota")
        .hasMessageContaining("cpuMillicores must be between 0 and 1000000");
    assertThatThrownBy(() -> new QuotaProperties(defaultQuota(10), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slipway.tenant.default-project-previews must be between 0 and 100000, was -1");
  }

  private static QuotaProperties.DefaultQuota defaultQuota(long previews) {
    return new QuotaProperties.DefaultQuota(4000, 8192, 20, 40, 2, 1000, 20480, previews, 10_000);
  }
}
