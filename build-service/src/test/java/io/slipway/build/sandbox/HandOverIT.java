package io.slipway.build.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The copy of a built image out of a tenant's store, with real skopeo, when it cannot be done: the
 * build's owner reads what happened and what to do, never the host's paths or skopeo's words.
 */
class HandOverIT extends BuildServiceTest {

  @Autowired BuildSandbox sandbox;
  @Autowired SandboxProperties properties;

  @Test
  void aCopyThatFailsSaysSoInWordsTheOwnerCanActOn(@TempDir Path home) throws Exception {
    Path storage = home.resolve("storage");
    Files.createDirectories(storage.resolve("storage"));
    String image = IMAGE_PREFIX + "/never-built-" + UUID.randomUUID() + ":1";
    SandboxRun run = run(storage, home, image);

    assertThatThrownBy(
            () -> sandbox.handOver(run, "tenant-" + UUID.randomUUID(), image, Optional.empty()))
        .isInstanceOf(BuildSandbox.SandboxStepFailedException.class)
        .hasMessage(
            "the image was built, but copying it out of the build sandbox into the platform's"
                + " image storage failed, so it cannot be deployed; push again to rebuild; if it"
                + " fails again, tell the platform's operator (build-service's log has the"
                + " details)")
        // skopeo's own words stay for build-service's log
        .cause()
        .hasMessageContaining("skopeo copy")
        .hasMessageContaining(storage.toString());
    assertThat(Commands.run("podman", "image", "exists", image).exitCode()).isNotZero();
  }

  @Test
  void aMissingStoreIsNotCopiedFrom(@TempDir Path home) {
    String image = IMAGE_PREFIX + "/never-built-" + UUID.randomUUID() + ":1";
    SandboxRun run = run(home.resolve("storage"), home, image);

    assertThatThrownBy(
            () -> sandbox.handOver(run, "tenant-" + UUID.randomUUID(), image, Optional.empty()))
        .isInstanceOf(BuildSandbox.SandboxStepFailedException.class)
        .hasMessageStartingWith("the image was built, but the tenant's image store")
        .hasMessageNotContaining(home.toString());
  }

  @Test
  void anImageIdTheTenantNeverHandedOverIsNeverTaggedOnlyCopiedFromItsStore(@TempDir Path home)
      throws Exception {
    // an image the host holds that this tenant's store never gave it (the builder image here; any
    // other tenant's image alike), whose id a build of the tenant claims to have made
    String foreign =
        Commands.ok("podman", "image", "inspect", "--format={{.Id}}", properties.builderImage());
    Path storage = home.resolve("storage");
    Files.createDirectories(storage.resolve("storage"));
    String image = IMAGE_PREFIX + "/claims-" + UUID.randomUUID() + ":1";
    SandboxRun run = run(storage, home, image);

    assertThatThrownBy(
            () -> sandbox.handOver(run, "tenant-" + UUID.randomUUID(), image, Optional.of(foreign)))
        .isInstanceOf(BuildSandbox.SandboxStepFailedException.class)
        .hasMessageStartingWith("the image was built, but copying it out of the build sandbox");
    assertThat(Commands.run("podman", "image", "exists", image).exitCode()).isNotZero();
  }

  private static SandboxRun run(Path storage, Path home, String image) {
    return new SandboxRun(
        "slipway-build-" + UUID.randomUUID(),
        "localhost/slipway/builder:1",
        300_000_000L,
        storage,
        home.resolve("cache"),
        null,
        null,
        home.resolve("work"),
        512,
        0,
        64,
        64,
        BuilderBud.inTenantStore("/workspace/b/Containerfile", image, "/workspace/b/src"),
        null,
        null);
  }
}
