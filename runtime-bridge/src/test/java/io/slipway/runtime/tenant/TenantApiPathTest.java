package io.slipway.runtime.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every name runtime-bridge puts into a tenant-service URL is one encoded path segment. */
class TenantApiPathTest {

  @Test
  void namesAreEncodedAsSinglePathSegments() {
    assertThat(TenantApi.path("/api/v1/tenants/{t}/reservations/{key}", "acme", "deploy-1:2"))
        .isEqualTo("/api/v1/tenants/acme/reservations/deploy-1%3A2");
    assertThat(TenantApi.path("/api/v1/tenants/{t}", "../admin/tenants"))
        .isEqualTo("/api/v1/tenants/..%2Fadmin%2Ftenants");
    assertThat(TenantApi.path("/api/v1/tenants/{t}/quota", "a?b#c d%2F"))
        .isEqualTo("/api/v1/tenants/a%3Fb%23c%20d%252F/quota");
  }
}
