package io.slipway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.testing.GitCli;
import io.slipway.testing.Router;
import io.slipway.testing.TestPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Issue 26: {@code ./slipway backup} of a running platform, without apps and with an app of two
 * revisions, then {@code ./slipway restore} on what a fresh machine has (a new state directory; the
 * app's containers, network and images gone): the same user signs in, the app is served again at
 * its live revision, the older one still rolls back, and its git repository holds the same history.
 * The platform is the one {@code ./slipway up} starts, on ports, names and a state directory of the
 * test's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupRestoreIT {

  private static final String PREFIX = "slwbak-";

  private ScriptedPlatform platform;
  private Path work;
  private Path first;
  private Path second;

  @BeforeAll
  void ports() throws IOException {
    work = Files.createTempDirectory("slipway-backup");
    first = work.resolve("state");
    second = work.resolve("restored");
    // the containers, networks, images and firewall table of this platform, and no one else's
    platform = new ScriptedPlatform(PREFIX, work);
  }

  @AfterAll
  void stopAndRemove() {
    platform.remove(first, second);
    TestPlatform.deleteWork(work);
  }

  @Test
  void aBackupRestoredOnAFreshMachineServesTheSameAppsAndRevisions() throws Exception {
    assertThat(slipway(first, "up", "-d").exit()).isZero();
    // a platform without an app yet is backed up as well: databases and files, no image
    ScriptedPlatform.Script empty =
        slipway(first, "backup", work.resolve("empty.tar.gz").toString());
    assertThat(empty.exit()).as(empty.output()).isZero();
    assertThat(empty.output()).contains("images: 0", "backup written to");
    String alice = aliceToken(first);
    Api tenants = new Api(url("SLIPWAY_TENANT_PORT"), alice);
    tenants.post("/tenants", Map.of("name", "acme")).expect(201);
    tenants.post("/tenants/acme/projects", Map.of("name", "web")).expect(201);
    tenants.put("/tenants/acme/projects/web/quota", Map.of("cpuMillicores", 1000)).expect(200);
    JsonNode app = tenants.post("/tenants/acme/projects/web/apps", Map.of("name", "site")).json();
    String host = app.path("hostLabel").asString() + ".apps.localhost";
    String gitToken =
        tenants
            .post("/tokens", Map.of("name", "backup", "scopes", List.of("git")))
            .expect(201)
            .json()
            .path("token")
            .asString();
    String remote = url("SLIPWAY_BUILD_PORT").replace("://", "://git:" + gitToken + "@");
    remote += "/git/acme/web/site.git";
    GitCli git = new GitCli(work);
    Path repo =
        git.newRepository(work.resolve("site"), Map.of("index.html", "<h1>revision one</h1>\n"));
    assertThat(git.ok(repo, "push", "-o", "follow", remote, "main")).contains("is live as");
    Files.writeString(repo.resolve("index.html"), "<h1>revision two</h1>\n");
    git.ok(repo, "commit", "-qam", "two");
    assertThat(git.ok(repo, "push", "-o", "follow", remote, "main")).contains("is live as");
    String head = git.ok(repo, "rev-parse", "HEAD");
    assertThat(page(host)).contains("revision two");

    // the platform must be stopped before a restore, and a state that holds one is not replaced
    Path backup = work.resolve("platform.tar.gz");
    ScriptedPlatform.Script taken = slipway(first, "backup", backup.toString());
    assertThat(taken.exit()).as(taken.output()).isZero();
    assertThat(taken.output()).contains("images: 2", "database slipway_keycloak");
    assertThat(slipway(first, "restore", backup.toString()).output())
        .contains("is running: stop the platform first");
    slipway(first, "down");
    assertThat(slipway(first, "restore", backup.toString()).output())
        .contains("already holds a platform; restore into a fresh one");

    // what a fresh machine lacks: the app's containers, network and images
    TestPlatform.removeWarmBuilders(first.resolve("build/repos"));
    TestPlatform.removeEverythingNamed(PREFIX);
    assertThat(page(host)).isNull();

    ScriptedPlatform.Script restored = slipway(second, "restore", backup.toString());
    assertThat(restored.exit()).as(restored.output()).isZero();
    assertThat(restored.output()).contains("images: 2 restored", "Slipway is up");
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(page(host)).contains("revision two"));

    // the same user, password and realm keys: a token of the first Keycloak is still good
    Api runtime = new Api(url("SLIPWAY_RUNTIME_PORT"), alice);
    JsonNode deployments =
        runtime.get("/tenants/acme/projects/web/apps/site/deployments").expect(200).json();
    assertThat(deployments.path("liveRevision").asInt()).isEqualTo(2);
    assertThat(deployments.path("revisions").size()).isEqualTo(2);
    Api again = new Api(url("SLIPWAY_RUNTIME_PORT"), aliceToken(second));
    again
        .postAwaitingRollout("/tenants/acme/projects/web/apps/site/rollback", Map.of("revision", 1))
        .expect(201);
    assertThat(page(host)).contains("revision one");
    assertThat(git.ok(repo, "ls-remote", remote, "refs/heads/main")).startsWith(head);
  }

  /** The app's page through the platform's router, or null when nothing answers 200 there. */
  private String page(String host) {
    Router.Answer answer = platform.router().get(host);
    return answer.status() == 200 ? answer.body() : null;
  }

  private String aliceToken(Path state) {
    return platform.aliceToken(state);
  }

  private String url(String portVariable) {
    return platform.url(portVariable);
  }

  private ScriptedPlatform.Script slipway(Path state, String... arguments) {
    return platform.slipway(state, arguments);
  }
}
