package io.slipway.build.worker;

import io.slipway.build.queue.Build;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Pushes a built image to the configured registry ({@code slipway.build.registry.*}) as {@code
 * <url>/<tenant>/<project>/<app>:<commit>} with skopeo.
 */
final class RegistryPush {

  /** A push's result: the image's reference by digest in the registry, or why it failed. */
  record Pushed(String reference, String failure) {
    boolean failed() {
      return failure != null;
    }
  }

  private final RegistryProperties registry;
  private final CommandRunner runner;

  RegistryPush(RegistryProperties registry, CommandRunner runner) {
    this.registry = registry;
    this.runner = runner;
  }

  /**
   * Pushes {@code image} of {@code build}, writing skopeo's digest file into {@code dir} and its
   * output to {@code log}; empty when no registry is configured.
   */
  Optional<Pushed> push(Build build, String image, Path dir, Consumer<String> log)
      throws IOException, InterruptedException {
    if (!registry.enabled()) {
      return Optional.empty();
    }
    String repository =
        registry.url() + "/" + build.tenant() + "/" + build.project() + "/" + build.app();
    SkopeoCopy copy =
        new SkopeoCopy(
            image,
            repository + ":" + build.commitId(),
            dir.resolve("pushed-digest"),
            registry.tlsVerify());
    log.accept("$ " + String.join(" ", copy.arguments()));
    CommandRunner.Outcome outcome = runner.run(copy.arguments(), registry.timeout(), log);
    if (outcome.timedOut()) {
      return Optional.of(
          new Pushed(
              null,
              "pushing the image to "
                  + registry.url()
                  + " took longer than "
                  + registry.timeout()));
    }
    if (!outcome.succeeded()) {
      return Optional.of(
          new Pushed(
              null,
              "pushing the image to "
                  + registry.url()
                  + " failed (skopeo exit code "
                  + outcome.exitCode()
                  + ")"));
    }
    String reference = repository + "@" + Files.readString(copy.digestFile()).trim();
    log.accept("Pushed " + reference);
    return Optional.of(new Pushed(reference, null));
  }
}
