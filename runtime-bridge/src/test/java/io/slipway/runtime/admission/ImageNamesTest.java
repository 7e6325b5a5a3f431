package io.slipway.runtime.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Podman resolves {@code any/name@sha256:...} to whichever image has that digest: admission takes
 * the image it found only when it ever had the repository the caller named.
 */
class ImageNamesTest {

  private static final String DIGEST = "sha256:" + "c".repeat(64);
  private static final JsonNode ALICES =
      JsonMapper.builder()
          .build()
          .readTree(
              """
              {"Digest": "%1$s",
               "RepoTags": ["localhost/builds/talice/p/a:1"],
               "RepoDigests": ["localhost/builds/talice/p/a@%1$s"],
               "NamesHistory": ["localhost/builds/talice/p/a:1", "localhost/builds/talice/p/a:0"]}
              """
                  .formatted(DIGEST));

  private static final JsonNode UNTAGGED =
      JsonMapper.builder()
          .build()
          .readTree(
              """
              {"Digest": "%1$s", "RepoTags": [], "RepoDigests": [],
               "NamesHistory": ["localhost/builds/talice/p/a:1"]}
              """
                  .formatted(DIGEST));

  @Test
  void theImagesOwnRepositoryByDigestOrTagIsItsName() {
    assertThat(ImageAdmission.namedAs(ALICES, "localhost/builds/talice/p/a@" + DIGEST)).isTrue();
    assertThat(ImageAdmission.namedAs(ALICES, "localhost/builds/talice/p/a:1@" + DIGEST)).isTrue();
    assertThat(ImageAdmission.namedAs(ALICES, "localhost/builds/talice/p/a:1")).isTrue();
    // a build whose tag moved on to a newer one is still its repository's (a rollback)
    assertThat(ImageAdmission.namedAs(UNTAGGED, "localhost/builds/talice/p/a@" + DIGEST)).isTrue();
  }

  @Test
  void anotherRepositoryNamingTheDigestIsNotItsName() {
    for (String hostile :
        new String[] {
          "localhost/builds/tbob/p/a@" + DIGEST,
          "localhost/builds/tbob/anything:1@" + DIGEST,
          "a@" + DIGEST,
          "p/a@" + DIGEST,
          "localhost/builds/talice/p@" + DIGEST,
          "localhost/builds/talice/p/a/b@" + DIGEST,
          "localhost/slipway/vm/debian@" + DIGEST
        }) {
      assertThat(ImageAdmission.namedAs(ALICES, hostile)).as(hostile).isFalse();
      assertThat(ImageAdmission.namedAs(UNTAGGED, hostile)).as(hostile).isFalse();
    }
  }
}
