package io.slipway.bench;

import static org.awaitility.Awaitility.await;

import io.slipway.testing.GitCli;
import io.slipway.testing.Router;
import io.slipway.testing.TestPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * One developer of one new tenant doing what the README tells a user to do, through the platform's
 * public interfaces: the REST APIs with their Keycloak token, git over HTTP with a personal access
 * token, and the router.
 */
final class Deployer {

  /** The tenant this developer made. */
  String tenant() {
    return tenant;
  }

  /** An app: its name, the host it answers at, and the remote to push to. */
  record App(String name, String host, String remote) {}

  /**
   * How many times each revision of the app was rolled out ({@code Deployed} and {@code Restarted}
   * events by revision): once each, whichever replica did it.
   */
  Map<Integer, Long> rolloutsByRevision(App app) {
    Map<Integer, Long> rollouts = new TreeMap<>();
    for (JsonNode event : runtime.get(appPath(app) + "/events").expect(200).json().path("items")) {
      String reason = event.path("reason").asString();
      if (reason.equals("Deployed") || reason.equals("Restarted")) {
        rollouts.merge(event.path("revision").asInt(), 1L, Long::sum);
      }
    }
    return rollouts;
  }

  /** A pushed commit that went live: its build (as the API shows it) and its revision number. */
  record Live(JsonNode build, int revision, JsonNode deployment) {}

  /**
   * What the bench's platform names its containers, networks and images with, so that they never
   * meet a developer's running platform.
   */
  static final String PREFIX = "slwe2e-";

  static final String PROJECT = "web";

  private final TestPlatform platform;
  private final String tenant;
  private final Api tenants;
  private final Api builds;
  private final Api runtime;
  private final String gitCredentials;
  private final GitCli git;
  private final Path work;
  private final Router router;
  private final List<App> created;

  private Deployer(
      TestPlatform platform,
      String tenant,
      String jwt,
      String gitCredentials,
      GitCli git,
      Path work,
      List<App> created) {
    this.platform = platform;
    this.created = created;
    this.tenant = tenant;
    this.tenants = new Api(platform.tenant().url(), jwt);
    this.builds = new Api(platform.build().url(), jwt);
    // the replica build-service does not deploy through, when there are several: every read and
    // change of the tests goes to another replica than the deploys of their pushes
    this.runtime = new Api(platform.runtimes().getLast().url(), jwt);
    this.gitCredentials = gitCredentials;
    this.git = git;
    this.work = work;
    this.router = new Router(platform.caddy().httpPort());
  }

  /**
   * The same developer with a fresh access token (Keycloak's last five minutes; a class of
   * sandboxed builds, each tenant's first importing its stacks, can outlast one).
   */
  Deployer signedInAgain(String jwt) {
    return new Deployer(platform, tenant, jwt, gitCredentials, git, work, created);
  }

  /** Creates a tenant with one project as the signed-in user, and a git token for them. */
  static Deployer newTenant(TestPlatform platform, String jwt, GitCli git, Path work) {
    Api tenants = new Api(platform.tenant().url(), jwt);
    String tenant = "e2e" + UUID.randomUUID().toString().substring(0, 8);
    tenants.post("/tenants", Map.of("name", tenant)).expect(201);
    tenants.post("/tenants/" + tenant + "/projects", Map.of("name", PROJECT)).expect(201);
    JsonNode token =
        tenants.post("/tokens", Map.of("name", "e2e", "scopes", List.of("git"))).expect(201).json();
    // git sends the token as the password; build-service ignores the user name
    String credentials = "git:" + token.path("token").asString();
    return new Deployer(
        platform, tenant, jwt, credentials, git, work, new CopyOnWriteArrayList<>());
  }

  /** The apps this developer created, oldest first. */
  List<App> created() {
    return List.copyOf(created);
  }

  App createApp(String name) {
    return created(name, tenants.post(appsPath(), Map.of("name", name)).expect(201).json());
  }

  /**
   * An app built from the repository at {@code sourceRef} when its forge's webhook says so; its
   * remote is that repository.
   */
  App createExternalApp(String name, String sourceRef) {
    JsonNode reply =
        tenants
            .post(
                appsPath(), Map.of("name", name, "source", "external-git", "sourceRef", sourceRef))
            .expect(201)
            .json();
    App app = new App(name, reply.path("hostLabel").asString() + ".apps.localhost", sourceRef);
    created.add(app);
    return app;
  }

  private App created(String name, JsonNode reply) {
    App app =
        new App(
            name,
            // the host tenant-service reserved for the app: <app>--<project>--<tenant>
            reply.path("hostLabel").asString() + ".apps.localhost",
            "http://"
                + gitCredentials
                + "@127.0.0.1:"
                + platform.build().port()
                + "/git/"
                + tenant
                + "/"
                + PROJECT
                + "/"
                + name
                + ".git");
    created.add(app);
    return app;
  }

  /** A new git working tree holding a copy of {@code sample}, committed on main. */
  Path repositoryOf(Path sample) {
    Path repository = work.resolve("repo-" + UUID.randomUUID().toString().substring(0, 8));
    try (Stream<Path> files = Files.walk(sample)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = repository.resolve(sample.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git.ok(repository, "init", "-q", "-b", "main");
    return repository;
  }

  /**
   * Commits what changed in {@code repository}, pushes it to the app, and waits until the build of
   * that commit succeeded and its revision is live.
   */
  Live pushAndAwaitLive(App app, Path repository) {
    Live deployed = pushAndAwaitDeployed(app, repository);
    if ("failed".equals(deployed.deployment().path("status").asString())) {
      throw new AssertionError("the deploy failed: " + deployed.deployment());
    }
    return deployed;
  }

  /**
   * The same, waiting until the build succeeded and its revision's rollout ended: live or failed
   * (its {@code reason} in {@link Live#deployment}).
   */
  Live pushAndAwaitDeployed(App app, Path repository) {
    git.ok(repository, "add", "-A");
    git.ok(repository, "commit", "-q", "--allow-empty", "-m", "change");
    String commit = git.ok(repository, "rev-parse", "HEAD");
    git.ok(repository, "push", "-q", app.remote(), "main");
    JsonNode build = awaitBuild(app, commit);
    AtomicReference<JsonNode> revision = new AtomicReference<>();
    try {
      awaitDeployed(app, build, revision);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "no deploy of build "
              + build.path("number").asInt()
              + " ended within 120 s; its revision: "
              + revision.get()
              + "; the build's deploy: "
              + build(app, build.path("number").asInt()).path("deploy"),
          e);
    }
    return new Live(build, revision.get().path("revision").asInt(), revision.get());
  }

  private void awaitDeployed(App app, JsonNode build, AtomicReference<JsonNode> revision) {
    String buildId = build.path("id").asString();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              for (JsonNode candidate : deployments(app).path("revisions")) {
                if (buildId.equals(candidate.path("buildId").asString())) {
                  revision.set(candidate);
                  String status = candidate.path("status").asString();
                  return "live".equals(status) || "failed".equals(status);
                }
              }
              // refused before any revision was made (a quota, an image policy, app.json)
              JsonNode deploy = build(app, build.path("number").asInt()).path("deploy");
              if ("failed".equals(deploy.path("status").asString())) {
                throw new AssertionError("the deploy was refused: " + deploy);
              }
              return false;
            });
  }

  /** The app's deployments view: live revision, process types, the last revisions. */
  JsonNode deployments(App app) {
    return runtime.get(appPath(app) + "/deployments").expect(200).json();
  }

  /** Stops the app, answered once stopped: its instances no longer count in the quota. */
  void stop(App app) {
    runtime.postAwaitingRollout(appPath(app) + "/stop", Map.of()).expect(200);
  }

  /** Scales a process type of the live revision ({@code web} or one of its Procfile's). */
  JsonNode scale(App app, String type, int count) {
    return runtime
        .postAwaitingRollout(appPath(app) + "/scale", Map.of("type", type, "replicas", count))
        .expect(200)
        .json();
  }

  /**
   * The last {@code tail} log lines of each instance of a process type, as the stream sent them.
   */
  String logs(App app, String process, int tail) {
    return runtime
        .events(appPath(app) + "/logs?follow=false&tail=" + tail + "&process=" + process)
        .expect(200)
        .body();
  }

  /** The app's app.json cron entries with their next and last runs. */
  JsonNode cron(App app) {
    return runtime.get(appPath(app) + "/cron").expect(200).json();
  }

  /**
   * Commits what changed in {@code repository} and pushes it with {@code git push -o follow}, which
   * holds the push open while the build and its deploy run; returns what git printed.
   */
  String pushFollowed(App app, Path repository) {
    git.ok(repository, "add", "-A");
    git.ok(repository, "commit", "-q", "--allow-empty", "-m", "change");
    return git.ok(repository, "push", "-o", "follow", app.remote(), "main");
  }

  /** Build {@code number} of the app, as build-service's API shows it. */
  JsonNode build(App app, int number) {
    return builds.get(appPath(app) + "/builds/" + number).expect(200).json();
  }

  /** A push as the user saw it: when {@code git push} started (epoch ms), and push-to-live. */
  record Served(long startedAt, long millis) {}

  /**
   * Changes the sample's page to show {@code text}, commits, pushes, and polls the router every 10
   * ms until it serves the change.
   */
  Served pushUntilServed(App app, Path repository, Sample sample, String text) {
    return pushUntilServed(app, repository, sample, text, Duration.ofMillis(10));
  }

  /** The same, polling every {@code poll} (many pushes at once would otherwise load the router). */
  Served pushUntilServed(App app, Path repository, Sample sample, String text, Duration poll) {
    String expected = sample.change(repository, text);
    git.ok(repository, "add", "-A");
    git.ok(repository, "commit", "-q", "-m", text);
    long start = System.nanoTime();
    long startedAt = System.currentTimeMillis();
    git.ok(repository, "push", "-q", app.remote(), "main");
    await()
        .atMost(Duration.ofMinutes(5))
        .pollDelay(Duration.ZERO)
        .pollInterval(poll)
        .until(() -> fetch(app).body().contains(expected));
    return new Served(startedAt, (System.nanoTime() - start) / 1_000_000);
  }

  private JsonNode awaitBuild(App app, String commit) {
    AtomicReference<JsonNode> found = new AtomicReference<>();
    await()
        .atMost(Duration.ofMinutes(10))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              for (JsonNode build :
                  builds.get(appPath(app) + "/builds").expect(200).json().path("items")) {
                if (commit.equals(build.path("commitId").asString())) {
                  found.set(build);
                  String status = build.path("status").asString();
                  if ("failed".equals(status) || "cancelled".equals(status)) {
                    throw new AssertionError("the build failed: " + build);
                  }
                  return "succeeded".equals(status);
                }
              }
              return false;
            });
    return found.get();
  }

  /**
   * Where the time of the app's latest build and its deploy went, as the APIs record it ({@code
   * receive 12 ms, queue 2 ms, ...}), then the timeline of {@code last}, the push that made them.
   */
  String stagesOfLatest(App app, Served last) {
    JsonNode build = latestBuild(app);
    StringBuilder stages = new StringBuilder();
    build.path("stages").forEach(stage -> append(stages, stage));
    stages.append(", handed to runtime-bridge: ");
    // the deploy answers (and records its stages) once the old revision has drained and stopped
    AtomicReference<JsonNode> revision = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              revision.set(
                  revisionOf(app, build).filter(r -> !r.path("stages").isEmpty()).orElse(null));
              return revision.get() != null;
            });
    StringBuilder deploy = new StringBuilder();
    revision.get().path("stages").forEach(stage -> append(deploy, stage));
    return stages
        .append(deploy)
        .append("; timeline after git push started:")
        .append(timeline(build, revision.get(), last.startedAt()))
        .append(", served ")
        .append(last.millis())
        .toString();
  }

  /**
   * When the app's latest build and its deploy reached each step, in ms after {@code origin} (epoch
   * ms), from the clocks of this machine (the services run on it too).
   */
  String timelineOf(App app, long origin) {
    JsonNode build = latestBuild(app);
    return timeline(build, revisionOf(app, build).orElse(MissingNode.getInstance()), origin);
  }

  /** How long the app's latest build waited in the queue (its {@code queue} stage), in ms. */
  long queueMillisOfLatest(App app) {
    for (JsonNode stage : latestBuild(app).path("stages")) {
      if (stage.path("name").asString().equals("queue")) {
        return stage.path("millis").asLong();
      }
    }
    throw new AssertionError("the latest build of " + app.name() + " has no queue stage");
  }

  private JsonNode latestBuild(App app) {
    return builds.get(appPath(app) + "/builds").expect(200).json().path("items").path(0);
  }

  /** The revision runtime-bridge made of {@code build}, if any yet. */
  private Optional<JsonNode> revisionOf(App app, JsonNode build) {
    for (JsonNode revision :
        runtime.get(appPath(app) + "/deployments").expect(200).json().path("revisions")) {
      if (build.path("id").asString().equals(revision.path("buildId").asString())) {
        return Optional.of(revision);
      }
    }
    return Optional.empty();
  }

  /**
   * Offsets of the build's and deploy's instants from {@code origin}: the gaps between the stages
   * show time no stage accounts for.
   */
  private static String timeline(JsonNode build, JsonNode revision, long origin) {
    StringBuilder line = new StringBuilder();
    for (String field : List.of("receivedAt", "createdAt", "startedAt", "finishedAt")) {
      line.append(" build.").append(field).append(' ').append(offset(build.path(field), origin));
    }
    for (String field : List.of("createdAt", "liveAt")) {
      line.append(", deploy.")
          .append(field)
          .append(' ')
          .append(offset(revision.path(field), origin));
    }
    return line.toString();
  }

  private static long offset(JsonNode instant, long origin) {
    return instant.isMissingNode() || instant.isNull()
        ? -1
        : Instant.parse(instant.asString()).toEpochMilli() - origin;
  }

  private static void append(StringBuilder stages, JsonNode stage) {
    stages
        .append(stages.isEmpty() ? "" : ", ")
        .append(stage.path("name").asString())
        .append(' ')
        .append(stage.path("millis").asLong())
        .append(" ms");
  }

  /** Deploys revision {@code revision}'s image again; answers when it is live. */
  void rollback(App app, int revision) {
    JsonNode rolledBack =
        runtime
            .postAwaitingRollout(appPath(app) + "/rollback", Map.of("revision", revision))
            .expect(201)
            .json();
    if (!"live".equals(rolledBack.path("status").asString())) {
      throw new AssertionError("the rollback did not go live: " + rolledBack);
    }
  }

  Router.Answer fetch(App app) {
    return router.get(app.host());
  }

  /** GETs {@code path} (with its query) of the app's host through the router. */
  Router.Answer fetch(App app, String path) {
    return router.get(app.host(), path);
  }

  /** A function's activations, newest first, without their logs. */
  JsonNode activations(App app) {
    return runtime.get(appPath(app) + "/activations").expect(200).json();
  }

  /** One activation of a function, its logs too. */
  JsonNode activation(App app, String id) {
    return runtime.get(appPath(app) + "/activations/" + id).expect(200).json();
  }

  private String appsPath() {
    return "/tenants/" + tenant + "/projects/" + PROJECT + "/apps";
  }

  private String appPath(App app) {
    return appsPath() + "/" + app.name();
  }
}
