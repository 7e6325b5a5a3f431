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
          "localhost/tglobex00000/pweb0000001/asite000001:1",
          "localhost/tglobex00000/pweb0000001/asite000001",
          "localhost/tglobex00000/pweb0000001/asite000001" + digest,
          "localhost/tglobex00000/pweb0000001/asite000001:1" + digest
        }) {
      assertThat(ImageAdmission.buildOfAnotherTenant(image, "tacme0000000", "localhost"))
          .as(image)
          .isTrue();
    }
  }

  @Test
  void ownBuildsAndOtherImagesAreNotTouched() {
    assertThat(
            ImageAdmission.buildOfAnotherTenant(
                "localhost/tacme0000000/pweb0000000/asite000000:1", "tacme0000000", "localhost"))
        .isFalse();
    assertThat(
            ImageAdmission.buildOfAnotherTenant(
                "localhost/slwtest-rt-httpd:x", "tacme0000000", "localhost"))
        .isFalse();
    assertThat(
            ImageAdmission.buildOfAnotherTenant(
                "docker.io/library/nginx:1", "tacme0000000", "localhost"))
        .isFalse();
    assertThat(
            ImageAdmission.buildOfAnotherTenant(
                "registry.example.com:5000/tglobex00000/pweb0000001/asite000001:1",
                "tacme0000000",
                "registry.example.com:5000"))
        .isTrue();
    assertThat(
            ImageAdmission.buildOfAnotherTenant(
                "localhostx/tglobex00000/pweb0000001/asite000001", "tacme0000000", "localhost"))
        .isFalse();
  }

  @Test
  void thePlatformsOwnStackImagesAreNoTenantsBuild() {
    assertThat(
            ImageAdmission.buildOfAnotherTenant(
                "localhost/slipway/stacks/static:1", "tacme0000000", "localhost"))
        .isFalse();
  }
}
