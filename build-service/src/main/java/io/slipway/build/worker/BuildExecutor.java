package io.slipway.build.worker;

import io.slipway.build.BuildProperties;
import io.slipway.build.queue.Build;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.tenant.TenantClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs one claimed build: reserves the tenant's build quota (waiting in the queue while it is
 * full), checks out the commit, runs {@code buildah bud}, records the image by digest, releases the
 * quota, and asks the {@link Deployer} to deploy it.
 */
@Component
class BuildExecutor {

  private static final Logger log = LoggerFactory.getLogger(BuildExecutor.class);
  private static final Duration QUOTA_RETRY = Duration.ofSeconds(2);
  static final String NOTHING_TO_BUILD =
      "no Containerfile or Dockerfile at the repository root, and no source stack matches it"
          + " (static site: an index.html at the root)";

  private final BuildProperties properties;
  private final BuildQueue queue;
  private final TenantClient tenants;
  private final Deployer deployer;
  private final StaticSiteStack staticSite;
  private final CommandRunner runner = new CommandRunner();

  BuildExecutor(
      BuildProperties properties,
      StackProperties stacks,
      BuildQueue queue,
      TenantClient tenants,
      Deployer deployer) {
    this.properties = properties;
    this.staticSite = new StaticSiteStack(stacks.staticSite());
    this.queue = queue;
    this.tenants = tenants;
    this.deployer = deployer;
  }

  void execute(Build build) {
    String key = reservationKey(build);
    long minutes = Math.max(1, (properties.buildTimeout().toSeconds() + 59) / 60);
    Optional<String> refused;
    try {
      refused = tenants.reserveBuild(build.tenant(), key, build.project(), build.app(), minutes);
    } catch (RuntimeException e) {
      log.warn("Could not reserve quota for build {}: {}", build.id(), e.toString());
      queue.requeue(build.id(), "waiting: tenant-service is unreachable", QUOTA_RETRY);
      return;
    }
    if (refused.isPresent()) {
      queue.requeue(build.id(), "waiting for build quota: " + refused.get(), QUOTA_RETRY);
      return;
    }
    Instant started = Instant.now();
    try {
      run(build);
    } finally {
      long used = Math.max(1, (Duration.between(started, Instant.now()).toSeconds() + 59) / 60);
      try {
        tenants.releaseBuild(build.tenant(), key, used);
      } catch (RuntimeException e) {
        log.warn("Could not release reservation {}: {}", key, e.toString());
      }
    }
  }

  static String reservationKey(Build build) {
    return "build-" + build.id();
  }

  private void run(Build build) {
    Path context = null;
    try {
      context = Files.createTempDirectory("slipway-build-");
      Path source = context.resolve("src");
      Files.createDirectories(source);
      logLine(build, "Checking out " + build.commitId());
      SourceExport.export(repository(build), build.commitId(), source);
      Optional<Path> containerfile =
          Stream.of("Containerfile", "Dockerfile")
              .map(source::resolve)
              .filter(Files::isRegularFile)
              .findFirst();
      if (containerfile.isEmpty() && staticSite.matches(source)) {
        // outside the context, so the repository's own files are all that COPY sees
        Path generated = context.resolve("Containerfile.static");
        Files.writeString(generated, staticSite.containerfile());
        logLine(
            build,
            "No Containerfile: building a static site (index.html) on "
                + staticSite.entry().baseImage());
        containerfile = Optional.of(generated);
      }
      if (containerfile.isEmpty()) {
        fail(build, NOTHING_TO_BUILD);
        return;
      }
      String image =
          properties.imagePrefix()
              + "/"
              + build.tenant()
              + "/"
              + build.project()
              + "/"
              + build.app()
              + ":"
              + build.commitId();
      BuildahBud bud =
          new BuildahBud(
              source,
              containerfile.get(),
              image,
              context.resolve("iid"),
              properties.buildMemoryMib(),
              properties.buildMilliCpus(),
              properties.buildNetwork(),
              properties.buildTimeout());
      logLine(build, "$ " + String.join(" ", bud.arguments()));
      CommandRunner.Outcome outcome =
          runner.run(bud.arguments(), bud.timeout(), line -> logLine(build, line));
      if (outcome.timedOut()) {
        fail(build, "the build took longer than " + properties.buildTimeout() + " and was stopped");
        return;
      }
      if (!outcome.succeeded()) {
        fail(build, "buildah bud failed with exit code " + outcome.exitCode());
        return;
      }
      String digest =
          runner.output(
              List.of(
                  "buildah",
                  "images",
                  "--digests",
                  "--no-trunc",
                  "--format",
                  "{{.Digest}}",
                  image));
      digest = digest.lines().findFirst().orElse("").trim();
      logLine(build, "Built " + image + "@" + digest);
      queue.finish(build.id(), true, null, image, digest);
      deploy(build, image, digest);
    } catch (IOException | RuntimeException e) {
      log.warn("Build {} failed", build.id(), e);
      fail(build, "internal error: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(build, "build-service stopped during the build");
    } finally {
      delete(context);
    }
  }

  private void deploy(Build build, String image, String digest) {
    try {
      logLine(
          build,
          deployer.deploy(
              new Deployer.Deployment(
                  build.tenant(),
                  build.project(),
                  build.app(),
                  image,
                  digest,
                  build.id().toString())));
    } catch (RuntimeException e) {
      log.warn("Deploying build {} failed: {}", build.id(), e.toString());
      logLine(build, "deploy request failed: " + e.getMessage());
    }
  }

  private Path repository(Build build) {
    return properties
        .dataDir()
        .resolve(build.tenant())
        .resolve(build.project())
        .resolve(build.app() + ".git");
  }

  private void fail(Build build, String reason) {
    logLine(build, "Build failed: " + reason);
    queue.finish(build.id(), false, reason, null, null);
  }

  private void logLine(Build build, String line) {
    queue.appendLog(build.id(), line + "\n");
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      log.warn("Could not delete {}: {}", dir, e.toString());
    }
  }
}
