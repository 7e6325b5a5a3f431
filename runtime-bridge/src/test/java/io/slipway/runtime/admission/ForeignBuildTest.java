package io.slipway.runtime.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A tenant runs its own builds, and images from elsewhere; never another tenant's build. */
class ForeignBuildTest {

  @Test
  void anotherTenantsBuildIsRecognisedWhateverTheTagOrDigest() {
    String digest = "@sha256:" + "a".repeat(64);
    for (String image :
        new String[] {
          "localhost/globex/web/site:1",
          "localhost/globex/web/site",
          "localhost/globex/web/site" + digest,
          "localhost/globex/web/site:1" + digest
        }) {
      assertThat(ImageAdmission.buildOfAnotherTenant(image, "acme", "localhost"))
          .as(image)
          .isTrue();
    }
  }

  @Test
  void ownBuildsAndOtherImagesAreNotTouched() {
    assertThat(
            ImageAdmission.buildOfAnotherTenant("localhost/acme/web/site:1", "acme", "localhost"))
        .isFalse();
    assertThat(
            ImageAdmission.buildOfAnotherTenant(
                "localhost/slwtest-rt-httpd:x", "acme", "localhost"))
        .isFalse();
    assertThat(
            ImageAdmission.buildOfAnotherTenant("docker.io/library/nginx:1", "acme", "localhost"))
        .isFalse();
    assertThat(
            ImageAdmission.buildOfAnotherTenant(
                "registry.example.com:5000/globex/web/site:1", "acme", "registry.example.com:5000"))
        .isTrue();
    assertThat(
            ImageAdmission.buildOfAnotherTenant("localhostx/globex/web/site", "acme", "localhost"))
        .isFalse();
  }

  @Test
  void thePlatformsOwnStackImagesAreNoTenantsBuild() {
    assertThat(
            ImageAdmission.buildOfAnotherTenant(
                "localhost/slipway/stacks/static:1", "acme", "localhost"))
        .isFalse();
  }
}
