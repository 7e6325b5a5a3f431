package io.slipway.build.worker;

import io.slipway.build.BuildProperties;
import io.slipway.build.egress.BuildEgress;
import io.slipway.build.governance.ImageAttestations;
import io.slipway.build.kubernetes.BuildJob;
import io.slipway.build.kubernetes.BuildJobs;
import io.slipway.build.kubernetes.KubernetesImageBuilds;
import io.slipway.build.process.CommandRunner;
import io.slipway.build.procfile.AppJson;
import io.slipway.build.procfile.ProcessType;
import io.slipway.build.procfile.Procfile;
import io.slipway.build.queue.Build;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.registry.RegistryAuthProperties;
import io.slipway.build.sandbox.BuildSandbox;
import io.slipway.build.sandbox.SandboxLease;
import io.slipway.build.sandbox.SandboxProperties;
import io.slipway.build.sandbox.SandboxRun;
import io.slipway.build.tenant.TenantClient;
import io.slipway.build.usage.StorageUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Runs one claimed build: reserves the tenant's build quota (waiting in the queue while it is
 * full), checks out the commit, runs {@code buildah bud}, records the image by digest, releases the
 * quota, and hands the deploy request the build then owes to the {@link DeployOutbox}. With {@code
 * slipway.build.executor=kubernetes} only "runs {@code buildah bud}" differs: a Kubernetes Job
 * builds and pushes the image ({@link #buildOnKubernetes}); the rest is this same code.
 */
@Component
class BuildExecutor {

  private static final Logger log = LoggerFactory.getLogger(BuildExecutor.class);
  private static final Duration QUOTA_RETRY = Duration.ofSeconds(2);
  private static final Duration RMI_TIMEOUT = Duration.ofSeconds(60);
  static final String NOTHING_TO_BUILD = SourceStacks.NOTHING_TO_BUILD;

  private final BuildProperties properties;
  private final BuildQueue queue;
  private final TenantClient tenants;
  private final DeployOutbox deploys;
  private final SourceStacks stacks;
  private final RegistryPush registryPush;
  private final ImageAttestations attestations;
  private final CommandRunner runner = new CommandRunner();
  private final BuildSandbox sandbox;
  private final SandboxProperties sandboxProperties;
  private final StackProperties stackImages;
  private final BuildEgress egress;
  private final StorageUsage usage;
  private final RegistryProperties registry;
  private final BuildJobs kubernetesJobs;
  private final KubernetesImageBuilds kubernetes; // null: images are built with podman here

  /** Kubernetes builds a stop left running with their Job: they keep their quota reservation. */
  private final Set<UUID> leftRunning = ConcurrentHashMap.newKeySet();

  /**
   * A build's command line on the host (none in the sandbox, where its lease runs it), what the
   * build log shows of it, and its sandbox's container (null when it runs on the host).
   */
  private record Command(List<String> arguments, List<String> shown, SandboxLease sandbox) {}

  BuildExecutor(
      BuildProperties properties,
      StackProperties stacks,
      RegistryProperties registry,
      RegistryAuthProperties registryAuth,
      BuildQueue queue,
      TenantClient tenants,
      DeployOutbox deploys,
      ImageAttestations attestations,
      BuildSandbox sandbox,
      SandboxProperties sandboxProperties,
      BuildEgress egress,
      StorageUsage usage,
      BuildJobs kubernetesJobs,
      ObjectProvider<KubernetesImageBuilds> kubernetes) {
    this.usage = usage;
    this.registry = registry;
    this.kubernetesJobs = kubernetesJobs;
    this.kubernetes =
        properties.executor() == BuildProperties.Executor.KUBERNETES
            ? kubernetes.getObject()
            : null;
    this.properties = properties;
    this.egress = egress;
    this.sandbox = sandbox;
    this.sandboxProperties = sandboxProperties;
    this.stackImages = stacks;
    this.stacks = new SourceStacks(stacks);
    this.registryPush = new RegistryPush(registry, registryAuth, runner, attestations);
    this.queue = queue;
    this.tenants = tenants;
    this.deploys = deploys;
    this.attestations = attestations;
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
      releaseUnlessLeftRunning(build, started);
    }
  }

  /**
   * Watches the Job of a Kubernetes build this service was running when it stopped, and ends the
   * build as {@link #execute} would have: the quota reserved then is released when it ends.
   */
  void resume(Build build) {
    Instant started = build.startedAt() == null ? Instant.now() : build.startedAt();
    try {
      String repository = registry.url() + "/" + build.ids().path();
      LogTail tail = new LogTail(line -> logLine(build, line));
      long watched = System.nanoTime();
      KubernetesImageBuilds.Result result =
          kubernetes.resume(
              build.id(), properties.buildTimeout(), tail, () -> queue.isCancelled(build.id()));
      endOnKubernetes(build, repository, result, tail, watched);
    } catch (InterruptedException e) {
      leftRunning.add(build.id());
      // said before the interrupt is restored: an interrupted virtual thread's socket is closed
      logLine(build, "build-service stopped while its Job ran; its next start watches it again");
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("Build {} failed", build.id(), e);
      fail(build, "internal error: " + e.getMessage());
    } finally {
      releaseUnlessLeftRunning(build, started);
    }
  }

  /**
   * Releases the build's reservation, unless a stop left the build running with its Job: it keeps
   * it until the next start has watched the Job to its end ({@link #resume}).
   */
  private void releaseUnlessLeftRunning(Build build, Instant started) {
    if (leftRunning.remove(build.id())) {
      log.info("Build {} left running with its Job", build.id());
    } else {
      release(build, started);
    }
  }

  private void release(Build build, Instant started) {
    String key = reservationKey(build);
    long used = Math.max(1, (Duration.between(started, Instant.now()).toSeconds() + 59) / 60);
    try {
      tenants.releaseBuild(build.tenant(), key, used);
    } catch (RuntimeException e) {
      log.warn("Could not release reservation {}: {}", key, e.toString());
    }
    recordBuildStore(build);
    // the image it left in the host's store (or removed, its app deleted meanwhile)
    usage.imagesChanged(build.tenant(), build.tenantId());
  }

  /**
   * The tenant's storage usage gets its build store's size as the build left it (a build is what
   * changes it: it grows with layers and images, and is emptied when a build fills it).
   */
  private void recordBuildStore(Build build) {
    usage.buildStoreChanged(build.tenant(), build.tenantId());
  }

  /** The sandbox the build runs in: a fork's pull request never builds in its tenant's own. */
  static String sandboxOf(Build build) {
    return BuildSandbox.sandboxOf(build.tenantId(), build.fork());
  }

  static String reservationKey(Build build) {
    return "build-" + build.id();
  }

  private void run(Build build) {
    Path context = null;
    String inHostStore = null; // the image, once the build has put it in the host's store
    try {
      // in the sandbox: a fresh directory in the tenant's workspace, which its sandbox mounts
      context =
          sandbox.enabled() && kubernetes == null
              ? sandbox.buildDirectory(sandboxOf(build), contextPrefix(build))
              : Files.createTempDirectory(contextPrefix(build));
      Path source = context.resolve("src");
      Files.createDirectories(source);
      logLine(build, "Checking out " + build.commitId());
      SourceExport.export(repository(build), build.commitId(), source);
      Optional<Path> containerfile = containerfile(build, source, context);
      if (containerfile.isEmpty()) {
        return;
      }
      if (kubernetes != null) {
        buildOnKubernetes(build, source, containerfile.get());
        return;
      }
      String image = image(build);
      Command command =
          sandbox.enabled()
              ? sandboxed(build, source, containerfile.get(), image)
              : hosted(source, containerfile.get(), image, context, build.fork());
      logLine(build, "$ " + String.join(" ", command.shown()));
      long budStarted = System.nanoTime();
      LogTail tail = new LogTail(line -> logLine(build, line));
      CommandRunner.Outcome outcome = null;
      try (BuildEgress.Lease lease = egress(build, command.sandbox(), tail)) {
        BooleanSupplier cancelled = () -> queue.isCancelled(build.id());
        Path output = context.resolve("buildah.log");
        outcome =
            command.sandbox() != null
                ? command.sandbox().run(runner, properties.buildTimeout(), tail, cancelled, output)
                : runner.run(
                    command.arguments(), properties.buildTimeout(), tail, cancelled, output);
      } finally {
        if (command.sandbox() != null) {
          // a warm builder is kept only after a build that succeeded in it
          sandbox.finish(command.sandbox(), outcome != null && outcome.succeeded());
        }
      }
      queue.recordStage(build.id(), BuildQueue.Stage.BUILD, millisSince(budStarted));
      if (!sandbox.enabled()) {
        inHostStore = image; // on the host, buildah tags it there as it ends, even when stopped
      }
      if (outcome.cancelled()) {
        logLine(build, "Build cancelled: buildah stopped");
        return;
      }
      if (outcome.timedOut()) {
        fail(build, timeLimitExceeded());
        return;
      }
      if (!outcome.succeeded()) {
        BuildFailure failure = failure(build);
        if (sandbox.enabled() && failure.filledStore(tail.lines())) {
          // a full store would fail every build after this one too
          sandbox.emptyStore(sandboxOf(build));
        }
        fail(build, failure.explain(outcome.exitCode(), tail.lines()));
        return;
      }
      if (sandbox.enabled()) {
        long handOver = System.nanoTime();
        boolean copied =
            sandbox.handOver(
                command.sandbox().run(),
                sandboxOf(build),
                image,
                BuildSandbox.builtImageId(tail.lines()));
        logLine(
            build,
            (copied
                    ? "Copied " + image + " from the tenant's store in "
                    : "Tagged " + image + " (the image its last copy brought, unchanged) in ")
                + millisSince(handOver)
                + " ms");
        inHostStore = image;
      }
      if (queue.deleted(build)) {
        return; // its app went while it ran: the image goes below, nothing is deployed
      }
      long imageStarted = System.nanoTime();
      // SBOM, scan and platform signature, before anything can deploy it; the digest is the
      // manifest's as skopeo copied it, the one that is signed and deployed
      String digest = attestations.attest(build.id(), image, line -> logLine(build, line));
      logLine(build, "Built " + image + "@" + digest);
      Optional<RegistryPush.Pushed> pushed =
          registryPush.push(build, image, context, line -> logLine(build, line));
      queue.recordStage(build.id(), BuildQueue.Stage.IMAGE, millisSince(imageStarted));
      if (pushed.isPresent() && pushed.get().failed()) {
        fail(build, pushed.get().failure());
        return;
      }
      pushed.ifPresent(push -> queue.recordRegistryImage(build.id(), push.reference()));
      succeed(build, image, digest);
    } catch (BuildSandbox.SandboxStepFailedException e) {
      // the reason is the owner's to read; the host's paths and the tool's words are the log's
      log.warn("Build {} failed: {}", build.id(), e.getMessage(), e);
      fail(build, e.getMessage());
    } catch (SourceStack.UnbuildableSourceException
        | ImageAttestations.AttestationFailedException e) {
      fail(build, e.getMessage());
    } catch (IOException | RuntimeException e) {
      log.warn("Build {} failed", build.id(), e);
      fail(build, "internal error: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(build, "build-service stopped during the build");
    } finally {
      if (inHostStore != null) {
        removeIfDeleted(build, inHostStore);
      }
      delete(context);
    }
  }

  /** The build succeeded with {@code image}: recorded so, and its deploy handed over. */
  private void succeed(Build build, String image, String digest) {
    if (queue.finish(build.id(), true, null, image, digest)) {
      deploys.send(build, image, digest);
    }
  }

  private String timeLimitExceeded() {
    Duration limit = properties.buildTimeout();
    return "the build took longer than its time limit of "
        + (limit.toSecondsPart() == 0 ? limit.toMinutes() + " min" : limit.toSeconds() + " s")
        + " and was stopped";
  }

  /**
   * Builds and pushes the image as a Kubernetes Job ({@link KubernetesImageBuilds}), its pod's log
   * streamed into the build's log, and records the outcome as the podman path does: the image by
   * its registry digest, then the deploy. The Job pushes to {@code slipway.build.registry.url}
   * itself, so there is no image in this host's store: no SBOM, scan or platform signature is made
   * for it (not done yet). A source stack's generated Containerfile is not in the commit the pod
   * fetches, so such a build is refused. When this service stops meanwhile, the build stays running
   * with its Job, for the next start to watch ({@link #resume}).
   */
  private void buildOnKubernetes(Build build, Path source, Path containerfile) {
    if (!containerfile.startsWith(source)) {
      fail(
          build,
          "this repository has no Containerfile or Dockerfile, and builds by a source stack do not"
              + " run on this platform's Kubernetes executor yet (slipway.build.executor ="
              + " kubernetes); add a Containerfile");
      return;
    }
    String repository = registry.url() + "/" + build.ids().path();
    String image = repository + ":" + build.commitId();
    BuildJob job =
        kubernetesJobs.of(
            build,
            source.relativize(containerfile).toString(),
            image,
            properties.buildMemoryMib(),
            properties.buildMilliCpus(),
            properties.buildTimeout());
    logLine(
        build,
        "Building in a Kubernetes Job in namespace "
            + kubernetes.namespace()
            + ": root only in the pod's own user namespace, memory "
            + properties.buildMemoryMib()
            + " MiB, pushed to "
            + image);
    long started = System.nanoTime();
    LogTail tail = new LogTail(line -> logLine(build, line));
    KubernetesImageBuilds.Result result;
    try {
      result = kubernetes.run(job, tail, () -> queue.isCancelled(build.id()));
    } catch (InterruptedException e) {
      leftRunning.add(build.id());
      // said before the interrupt is restored: an interrupted virtual thread's socket is closed
      logLine(build, "build-service stopped while its Job ran; its next start watches it again");
      Thread.currentThread().interrupt();
      return;
    }
    endOnKubernetes(build, repository, result, tail, started);
  }

  /** Records how the build's Job ended: the build's stage, status, image and deploy. */
  private void endOnKubernetes(
      Build build,
      String repository,
      KubernetesImageBuilds.Result result,
      LogTail tail,
      long started) {
    String image = repository + ":" + build.commitId();
    queue.recordStage(build.id(), BuildQueue.Stage.BUILD, millisSince(started));
    switch (result.ending()) {
      case CANCELLED -> logLine(build, "Build cancelled: its Job was deleted");
      case TIMED_OUT -> fail(build, timeLimitExceeded());
      case FAILED ->
          fail(
              build,
              tail.lines().isEmpty()
                  ? result.reason()
                  : result.reason() + "; the log ends with:\n" + String.join("\n", tail.lines()));
      case SUCCEEDED -> {
        if (queue.deleted(build)) {
          return; // its app went while it ran: nothing is deployed
        }
        String reference = repository + "@" + result.digest();
        logLine(build, "Pushed " + reference);
        queue.recordRegistryImage(build.id(), reference);
        succeed(build, image, result.digest());
      }
    }
  }

  /**
   * Deletes the build's image when its tenant, project or app was deleted while it ran: the
   * deletion removed the images that were in storage then, and this one came after. Asked after the
   * image is in the store, so that either this sees the deletion or the deletion sees the image.
   */
  private void removeIfDeleted(Build build, String image) {
    try {
      if (!queue.deleted(build)) {
        return;
      }
      log.info("Build {} ended after its app was deleted; removing {}", build.id(), image);
      CommandRunner.Outcome removed =
          runner.run(List.of("buildah", "rmi", "-f", image), RMI_TIMEOUT, line -> {});
      if (!removed.succeeded()) {
        log.warn("Could not remove {} of deleted build {}", image, build.id());
      }
    } catch (IOException | RuntimeException e) {
      log.warn("Could not remove {} of deleted build {}: {}", image, build.id(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@code buildah bud} in the tenant's sandbox (docs/security.md): the log shows the build as it
   * runs inside, not the host's paths.
   */
  private Command sandboxed(Build build, Path source, Path containerfile, String image)
      throws IOException, InterruptedException {
    SandboxRun prepared =
        sandbox.prepare(
            build.id(),
            // by id: a tenant deleted and registered again under the same name starts empty
            sandboxOf(build),
            source,
            // never a link: SourceExport writes regular files only, and a stack's is generated here
            Files.readString(containerfile),
            containerfile,
            image,
            properties.buildMemoryMib(),
            properties.buildMilliCpus(),
            stackImages.images());
    // a fork's pull request is anyone's code: it gets no way out, whatever its tenant allows
    SandboxRun run = build.fork() ? prepared.withoutEgress() : prepared;
    logLine(
        build,
        "Building in a sandbox: "
            + (build.fork()
                ? "no network (a pull request from a fork builds with egress off)"
                : egress.enabled(build.tenantId())
                    ? "no network but public package registries through the platform's proxy (ports "
                        + egress.ports().stream()
                            .map(String::valueOf)
                            .collect(Collectors.joining(", "))
                        + ")"
                    : "no network (build egress is off for this tenant)")
            + ", root only in its own user namespace, memory "
            + properties.buildMemoryMib()
            + " MiB, at most "
            + sandboxProperties.pidsLimit()
            + " processes");
    List<String> shown = new ArrayList<>(List.of("buildah", "bud"));
    shown.addAll(run.bud().arguments());
    SandboxLease lease = sandbox.start(run, sandboxOf(build));
    return new Command(List.of(), shown, lease);
  }

  /**
   * The build's use of its tenant's egress proxy while it runs in the sandbox (null on the host);
   * the proxy's refusals go to its log through {@code tail}, so that a failure's reason sees them.
   */
  private BuildEgress.Lease egress(Build build, SandboxLease sandboxed, LogTail tail)
      throws IOException {
    if (sandboxed == null || sandboxed.run().egress() == null) {
      return null;
    }
    SandboxRun run = sandboxed.run();
    return egress.open(build.tenantId(), run.egressSocket(), run.uidBase(), tail);
  }

  /** {@code buildah bud} on the host, in its shared store (the sandbox switched off). */
  private Command hosted(
      Path source, Path containerfile, String image, Path context, boolean fork) {
    BuildahBud bud =
        new BuildahBud(
            source,
            containerfile,
            image,
            context.resolve("iid"),
            properties.buildMemoryMib(),
            properties.buildMilliCpus(),
            fork ? "none" : properties.buildNetwork(),
            properties.buildTimeout());
    return new Command(bud.arguments(), bud.arguments(), null);
  }

  /**
   * The repository's own Containerfile or Dockerfile, else one generated by the source stack that
   * matches it (written outside the context, so the repository's own files are all COPY sees),
   * started with its Procfile's web command when it has one and labelled with its process types;
   * empty when nothing builds it (the build has then failed).
   */
  private Optional<Path> containerfile(Build build, Path source, Path context) throws IOException {
    Optional<Path> own =
        Stream.of("Containerfile", "Dockerfile")
            .map(source::resolve)
            .filter(Files::isRegularFile)
            .findFirst();
    if (own.isPresent()) {
      RepositoryProcfile.ignoredBy(own.get(), source).ifPresent(note -> logLine(build, note));
      return own;
    }
    Optional<SourceStack> stack = stacks.detect(source);
    if (stack.isEmpty()) {
      fail(build, NOTHING_TO_BUILD);
      return Optional.empty();
    }
    if (!stack.get().enabled()) {
      fail(
          build,
          "the "
              + stack.get().name()
              + " source stack would build this repository, but it is switched off on this"
              + " platform (no image configured under slipway.build.stacks."
              + stack.get().name()
              + "); add a Containerfile");
      return Optional.empty();
    }
    Path generated = context.resolve("Containerfile." + stack.get().name());
    logLine(
        build,
        "No Containerfile: building with the "
            + stack.get().name()
            + " stack on "
            + stack.get().images());
    stack.get().notes(source).forEach(note -> logLine(build, note));
    Optional<Procfile> procfile =
        RepositoryProcfile.used(source, stack.get(), line -> logLine(build, line));
    String containerfile =
        stack
            .get()
            .containerfile(source, procfile.flatMap(Procfile::web).map(ProcessType::command));
    Optional<AppJson> appJson =
        RepositoryAppJson.used(source, stack.get(), line -> logLine(build, line));
    List<String> labels = new ArrayList<>();
    procfile.map(ProcfileLabel::line).ifPresent(labels::add);
    appJson.map(ProcfileLabel::line).ifPresent(labels::add);
    Files.writeString(generated, ProcfileLabel.addTo(containerfile, labels));
    return Optional.of(generated);
  }

  /** {@code <prefix>/<tenant id>/<project id>/<app id>:<commit>}: ids, never names. */
  static String image(String imagePrefix, Build build) {
    return imagePrefix + "/" + build.ids().path() + ":" + build.commitId();
  }

  private String image(Build build) {
    return image(properties.imagePrefix(), build);
  }

  /**
   * The prefix of a build's temporary directory. buildah's command line names it, which is how a
   * restarted service finds the buildah processes a dead one left behind.
   */
  static String contextPrefix(Build build) {
    return "slipway-build-" + build.id() + "-";
  }

  private static long millisSince(long nanoTime) {
    return (System.nanoTime() - nanoTime) / 1_000_000;
  }

  private Path repository(Build build) {
    return build.repositoryIds().repositoryIn(properties.dataDir());
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

  /** How a failed build is explained with this service's limits and what builds can reach. */
  private BuildFailure failure(Build build) {
    return new BuildFailure(
        properties.buildMemoryMib(),
        sandbox.enabled() ? sandboxProperties.pidsLimit() : 0,
        Stream.concat(stackImages.images().stream(), sandboxProperties.platformImages().stream())
            .distinct()
            .toList(),
        build.fork()
            ? "a pull request from a fork builds with no network, so dependencies must come with"
                + " the repository (vendored) or with the stack's image"
            : !sandbox.enabled()
                ? properties.buildNetwork().equals("none")
                    ? "builds have no network access here, so dependencies must come with the"
                        + " repository (vendored) or with the stack's image"
                    : "check that the registry it names answers from this host"
                : egress.enabled(build.tenantId())
                    ? "builds reach only public package registries, through the platform's proxy;"
                        + " a line 'egress refused' above says what was refused and why"
                    : "build egress is off for this tenant, so dependencies must come with the"
                        + " repository (vendored); a tenant admin can turn it on",
        sandbox.enabled() ? sandboxProperties.storeMib() : 0);
  }
}
