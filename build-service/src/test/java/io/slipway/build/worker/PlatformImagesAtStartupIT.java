package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.StaticBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * At start-up build-service copies every stack's image into the build sandboxes' platform images
 * store, and its health says so: {@code OUT_OF_SERVICE} while it copies, {@code UP} once the store
 * holds the version the host has (here one stack, the static one: the others are off).
 */
@ExtendWith(StaticBase.class)
@TestPropertySource(
    properties = {
      "slipway.build.sandbox.prepare-platform-images=true",
      "slipway.build.stacks.node.builder-image=",
      "slipway.build.stacks.node.runtime-image=",
      "slipway.build.stacks.python.image=",
      "slipway.build.stacks.java-maven.builder-image=",
      "slipway.build.stacks.java-maven.runtime-image=",
      "slipway.build.stacks.go.builder-image=",
      "slipway.build.stacks.go.runtime-image=",
      "slipway.build.stacks.function-node.builder-image=",
      "slipway.build.stacks.function-node.runtime-image=",
      "slipway.build.stacks.function-python.image=",
      "slipway.build.stacks.function-java.builder-image=",
      "slipway.build.stacks.function-java.runtime-image="
    })
class PlatformImagesAtStartupIT extends BuildServiceTest {

  private static final Path OWN_DATA = dataDir("slipway-build-platform-test-data");

  @DynamicPropertySource
  static void sandbox(DynamicPropertyRegistry registry) {
    registry.add("slipway.build.sandbox.dir", () -> OWN_DATA.resolve(".sandbox").toString());
  }

  @Test
  void theStacksAreInThePlatformStoreWhenTheServiceSaysItIsUp() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health")).build();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

    String id =
        io.slipway.build.support.Commands.ok(
            "podman", "image", "inspect", "--format={{.Id}}", STATIC_BASE_IMAGE);
    Path index = OWN_DATA.resolve(".sandbox/platform/storage/overlay-images/images.json");
    assertThat(index).isRegularFile();
    assertThat(Files.readString(index))
        .as("the static stack, in the version the host has")
        .contains("\"id\":\"" + id + "\"")
        .contains(STATIC_BASE_IMAGE);
  }
}
