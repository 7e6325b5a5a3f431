package io.slipway.build.worker;

import io.slipway.build.sandbox.BuildSandbox;
import io.slipway.build.sandbox.SandboxProperties;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Once the service is up, copies the stacks' images (the versions the host has) into the platform
 * images' store that every tenant's build sandbox sees, in the background ({@code
 * slipway.build.sandbox.prepare-platform-images}); until that is done the service's health is
 * {@code OUT_OF_SERVICE} ({@code platformImages}), so {@code ./slipway up} says the platform is up
 * only when a first push no longer waits for it. A failure is logged: the first build that names a
 * missing version copies it, or fails saying so.
 */
@Component("platformImages")
class PlatformImagesAtStartup implements HealthIndicator {

  private static final Logger log = LoggerFactory.getLogger(PlatformImagesAtStartup.class);

  private final BuildSandbox sandbox;
  private final StackProperties stacks;
  private final boolean prepare;
  private volatile boolean done;

  PlatformImagesAtStartup(
      BuildSandbox sandbox, StackProperties stacks, SandboxProperties properties) {
    this.sandbox = sandbox;
    this.stacks = stacks;
    this.prepare = properties.enabled() && properties.preparePlatformImages();
    this.done = !prepare;
  }

  @EventListener(ApplicationReadyEvent.class)
  void prepareAll() {
    if (prepare) {
      Thread.ofVirtual().name("platform-images").start(this::prepare);
    }
  }

  private void prepare() {
    long started = System.nanoTime();
    try {
      List<String> copied = sandbox.preparePlatformImages(stacks.images());
      if (!copied.isEmpty()) {
        log.info(
            "Copied {} into the build sandboxes' platform images store in {} s",
            copied,
            (System.nanoTime() - started) / 1_000_000_000);
      }
    } catch (IOException | RuntimeException e) {
      log.warn(
          "Could not copy the stack images into the platform images store (the first build that"
              + " names one copies it): {}",
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      done = true;
    }
  }

  @Override
  public Health health() {
    return done
        ? Health.up().build()
        : Health.outOfService()
            .withDetail("preparing", "copying the stack images for the build sandboxes")
            .build();
  }
}
