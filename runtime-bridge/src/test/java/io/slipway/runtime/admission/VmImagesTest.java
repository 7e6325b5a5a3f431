package io.slipway.runtime.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class VmImagesTest {

  private static final String TENANT = "tacmeacmeacm";
  private static final String OTHER = "tevilevilevi";
  private static final String PLATFORM = "localhost/slipway/vm/";
  private static final String DIGEST =
      "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost/slipway/vm/debian:1",
        "localhost/slipway/vm/debian@" + DIGEST,
        "localhost/slipway/vm/debian:1@" + DIGEST,
        "localhost/" + TENANT + "/disks/ubuntu@" + DIGEST,
        "localhost/" + TENANT + "/p/a.b_c-d:v1.2@" + DIGEST
      })
  void thePlatformsVmImagesAndTheTenantsOwnAreAdmitted(String image) {
    assertThat(VmImages.refusal(TENANT, "localhost", PLATFORM, image)).isEmpty();
  }

  static Stream<Arguments> hostile() {
    String notOurs = "a VM boots the platform's VM images (localhost/slipway/vm/...)";
    String otherTenants = "images built on this platform are deployed only by the tenant";
    String malformed = "an image reference is lowercase path segments";
    return Stream.of(
        Arguments.of("another tenant's image", "localhost/" + OTHER + "/disk:1", otherTenants),
        Arguments.of(
            "another tenant's image by digest",
            "localhost/" + OTHER + "/d@" + DIGEST,
            otherTenants),
        Arguments.of(
            "the tenant's own image by tag alone",
            "localhost/" + TENANT + "/disks/ubuntu:24.04",
            "a tenant's VM image is named by its full digest (repository@sha256:...)"),
        Arguments.of(
            "the tenant's own image by a short digest",
            "localhost/" + TENANT + "/d@sha256:bbbbbbbb",
            "full sha256 digest"),
        Arguments.of("a tenant id sharing a prefix", "localhost/" + TENANT + "x/d:1", otherTenants),
        Arguments.of("an image id", "0123456789abcdef", "an image id cannot be deployed"),
        Arguments.of("a bare digest", DIGEST, "an image id cannot be deployed"),
        Arguments.of("a short digest", PLATFORM + "debian@sha256:abc", "full sha256 digest"),
        Arguments.of("a registry's image", "quay.io/containerdisks/fedora:40", notOurs),
        Arguments.of(
            "a registry named like localhost", "localhost.evil.io/slipway/vm/d:1", notOurs),
        Arguments.of("a stack image", "localhost/slipway/stacks/static:1", notOurs),
        Arguments.of("a docker hub short name", "debian:12", notOurs),
        Arguments.of("climbing out of the prefix", PLATFORM + "../" + OTHER + "/d:1", malformed),
        Arguments.of("climbing out of the tenant", "localhost/" + TENANT + "/../x:1", malformed),
        Arguments.of("an empty segment", PLATFORM + "/debian:1", malformed),
        Arguments.of("the prefix alone", PLATFORM, malformed),
        Arguments.of("uppercase", PLATFORM + "Debian:1", malformed),
        Arguments.of("a space", PLATFORM + "debian:1 --privileged", malformed),
        Arguments.of("very long", PLATFORM + "d".repeat(300) + ":1", "at most 255 characters"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void hostileReferencesAreRefusedWithoutNamingAnotherTenant(
      String what, String image, String reason) {
    assertThat(VmImages.refusal(TENANT, "localhost", PLATFORM, image))
        .hasValueSatisfying(
            refusal -> assertThat(refusal).contains(reason).doesNotContain(OTHER, "sha256:b"));
    assertThatThrownBy(() -> VmImages.admit(TENANT, "localhost", PLATFORM, image))
        .isInstanceOfSatisfying(
            ImageRefusedException.class,
            e -> {
              assertThat(e.status().value()).isEqualTo(422);
              assertThat(e.slug()).isEqualTo("image-refused");
              assertThat(e.reasons()).singleElement().asString().contains(reason);
              // the caller's own reference is echoed, shortened; nothing else of any image
              assertThat(e.getMessage()).hasSizeLessThan(400);
            });
  }
}
