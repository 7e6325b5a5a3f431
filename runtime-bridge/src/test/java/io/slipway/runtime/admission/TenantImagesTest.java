package io.slipway.runtime.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TenantImagesTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);

  @Test
  void theTenantsOwnBuiltImagesAndRegistryImagesPass() {
    assertThat(TenantImages.refusal("acme", "localhost", "localhost/acme/web/site:1", null))
        .isEmpty();
    assertThat(TenantImages.refusal("acme", "localhost", "localhost/acme/web/site@" + DIGEST, null))
        .isEmpty();
    assertThat(TenantImages.refusal("acme", "localhost", "quay.io/org/tool:2", DIGEST)).isEmpty();
    assertThat(TenantImages.refusal("acme", "localhost", "localhost/slipway/stacks/static:1", null))
        .isEmpty();
    assertThat(TenantImages.refusal("acme", "registry.local/b", "localhost/tools/x:1", null))
        .isEmpty();
  }

  @Test
  void anotherTenantsImageAnIdOrAShortDigestIsRefused() {
    assertThat(TenantImages.refusal("acme", "localhost", "localhost/evil/web/site:1", null))
        .hasValue(
            "images built on this platform are deployed only by the tenant they were built for");
    // a tenant whose name starts like another's is still another tenant
    assertThat(TenantImages.refusal("acme", "localhost", "localhost/acme2/web/site:1", null))
        .isPresent();
    assertThat(TenantImages.refusal("acme", "registry.local/b/", "registry.local/b/x/y:1", null))
        .isPresent();
    assertThat(TenantImages.refusal("acme", "localhost", "0123456789ab", null)).isPresent();
    assertThat(TenantImages.refusal("acme", "localhost", DIGEST, null)).isPresent();
    assertThat(TenantImages.refusal("acme", "localhost", "localhost/acme/web/site:1", "sha256:abc"))
        .hasValue("a digest must be a full sha256 digest (sha256: and 64 hex digits)");
  }
}
