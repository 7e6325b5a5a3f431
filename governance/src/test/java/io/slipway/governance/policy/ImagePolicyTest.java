package io.slipway.governance.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.governance.advisory.Severity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImagePolicyTest {

  private static final Waiver ADMIN_WAIVER =
      new Waiver("CVE-2024-0001", "no fix upstream", Instant.parse("2027-01-01T00:00:00Z"));
  private static final Waiver TENANT_WAIVER =
      new Waiver(
          "CVE-2024-0002", "not reachable in our app", Instant.parse("2027-01-01T00:00:00Z"));

  @Test
  void aTenantCanTightenEveryRule() {
    ImagePolicy floor =
        new ImagePolicy(
            false,
            List.of("localhost/slipway", "registry.example"),
            Severity.CRITICAL,
            true,
            List.of());
    ImagePolicy tenant =
        new ImagePolicy(true, List.of("localhost/slipway/acme"), Severity.MEDIUM, true, List.of());

    ImagePolicy effective = ImagePolicy.tighten(floor, tenant);

    assertThat(effective.requireSigned()).isTrue();
    assertThat(effective.allowedRegistries()).containsExactly("localhost/slipway/acme");
    assertThat(effective.maxSeverity()).isEqualTo(Severity.MEDIUM);
  }

  @Test
  void aTenantCannotLoosenTheFloor() {
    ImagePolicy floor =
        new ImagePolicy(
            true, List.of("localhost/slipway"), Severity.HIGH, false, List.of(ADMIN_WAIVER));
    ImagePolicy tenant =
        new ImagePolicy(
            false, List.of("*", "ghcr.io"), Severity.CRITICAL, true, List.of(TENANT_WAIVER));

    ImagePolicy effective = ImagePolicy.tighten(floor, tenant);

    assertThat(effective.requireSigned()).isTrue();
    assertThat(effective.allowedRegistries()).containsExactly("localhost/slipway");
    assertThat(effective.maxSeverity()).isEqualTo(Severity.HIGH);
    assertThat(effective.waivers())
        .as("tenant waivers need the floor's permission")
        .containsExactly(ADMIN_WAIVER);
    assertThat(effective.tenantWaiversAllowed()).isFalse();
  }

  @Test
  void tenantWaiversCountWhenTheFloorAllowsThem() {
    ImagePolicy floor =
        new ImagePolicy(true, List.of("*"), Severity.HIGH, true, List.of(ADMIN_WAIVER));
    ImagePolicy tenant =
        new ImagePolicy(true, List.of("*"), Severity.HIGH, true, List.of(TENANT_WAIVER));

    assertThat(ImagePolicy.tighten(floor, tenant).waivers())
        .containsExactly(ADMIN_WAIVER, TENANT_WAIVER);
  }

  @Test
  void disjointRegistryListsAllowNothing() {
    ImagePolicy floor =
        new ImagePolicy(false, List.of("localhost/slipway"), Severity.CRITICAL, true, List.of());
    ImagePolicy tenant =
        new ImagePolicy(false, List.of("ghcr.io/acme"), Severity.CRITICAL, true, List.of());

    ImagePolicy effective = ImagePolicy.tighten(floor, tenant);

    assertThat(effective.allowedRegistries()).isEmpty();
    assertThat(effective.allowsRepository("localhost/slipway/acme/web")).isFalse();
    assertThat(effective.allowsRepository("ghcr.io/acme/app")).isFalse();
  }

  @Test
  void registryPrefixesMatchAtPathBoundaries() {
    ImagePolicy policy =
        new ImagePolicy(
            false,
            List.of("localhost/slipway", "registry.example:5000/team/"),
            Severity.CRITICAL,
            true,
            List.of());

    assertThat(policy.allowsRepository("localhost/slipway/acme/web")).isTrue();
    assertThat(policy.allowsRepository("localhost/slipwayevil/web")).isFalse();
    assertThat(policy.allowsRepository("registry.example:5000/team/app")).isTrue();
    assertThat(policy.allowsRepository("registry.example:5000/teammate/app")).isFalse();
  }

  @Test
  void registryPatternsArePrefixesNotUrls() {
    assertThatThrownBy(
            () ->
                new ImagePolicy(false, List.of("https://ghcr.io"), Severity.HIGH, true, List.of()))
        .hasMessageContaining("repository prefix");
    assertThatThrownBy(() -> new ImagePolicy(false, List.of(" "), Severity.HIGH, true, List.of()))
        .hasMessageContaining("repository prefix");
  }

  @Test
  void waiversNeedAReasonAndAnExpiry() {
    assertThatThrownBy(() -> new Waiver("CVE-1", " ", Instant.EPOCH))
        .hasMessageContaining("needs a reason");
    assertThatThrownBy(() -> new Waiver("CVE-1", "because", null))
        .hasMessageContaining("needs an expiry");
  }

  @Test
  void referencesGetDockersDefaults() {
    assertThat(ImageReference.parse("nginx"))
        .isEqualTo(new ImageReference("docker.io", "library/nginx", "latest", null));
    assertThat(ImageReference.parse("localhost:5000/a/b:1@sha256:abc"))
        .isEqualTo(new ImageReference("localhost:5000", "a/b", "1", "sha256:abc"));
    assertThat(ImageReference.parse("ghcr.io/org/app@sha256:abc").repository())
        .isEqualTo("ghcr.io/org/app");
    assertThat(ImageReference.parse("localhost/slipway/acme/web/site:1a2b").repository())
        .isEqualTo("localhost/slipway/acme/web/site");
  }
}
