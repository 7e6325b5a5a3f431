package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.podman.TestImages;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Another tenant's build (an image named {@code localhost/<other tenant>/<project>/<app>}, as
 * build-service names builds) exists in the machine's storage: a tenant that names it is refused
 * exactly as for an image that does not exist, so it can neither run it nor learn that it exists.
 */
class ForeignBuildIT extends ApiFixture {

  @Test
  void anotherTenantsBuildIsRefusedLikeAnImageThatDoesNotExist() throws Exception {
    String alice = aliceWithApp();
    String theirs = GovernanceFixture.BUILD_IMAGE_PREFIX + "/rt-other-" + suffix + "/web/site:1";
    PODMAN.run(List.of("tag", TestImages.httpd("foreign", "theirs\n"), theirs));
    try {
      String nowhere = GovernanceFixture.BUILD_IMAGE_PREFIX + "/rt-none-" + suffix + "/web/nope:1";
      JsonNode foreign = refusal(alice, theirs);
      JsonNode missing = refusal(alice, nowhere);
      assertThat(foreign.path("type").asString()).endsWith("/image-refused");
      assertThat(foreign.path("reasons").get(0).asString())
          .isEqualTo(missing.path("reasons").get(0).asString().replace(nowhere, theirs));
      assertThat(foreign.path("detail").asString())
          .isEqualTo(missing.path("detail").asString().replace(nowhere, theirs));
      assertThat(containers()).isEmpty();
    } finally {
      PODMAN.attempt(List.of("rmi", theirs));
      forgetTenant();
    }
  }

  private JsonNode refusal(String token, String image) throws Exception {
    return JSON.readTree(
        call(
            "http://127.0.0.1:" + port,
            token,
            "POST",
            appPath + "/deployments",
            deployment(image, 1, null),
            422));
  }
}
