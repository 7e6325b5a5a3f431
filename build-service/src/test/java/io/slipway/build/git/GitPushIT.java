package io.slipway.build.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.build.support.Tenancy;
import io.slipway.build.support.Tenancy.User;
import io.slipway.build.tenant.AppIds;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes and clones over real HTTP with the real git command line, as users of each kind, and
 * checks what the pusher sees.
 */
class GitPushIT extends BuildServiceTest {

  @TempDir Path work;
  private GitCli git;
  private Tenancy tenancy;

  @BeforeEach
  void setUp() {
    git = new GitCli(work);
    tenancy = new Tenancy(TestTenantService.url());
  }

  private String url(User user) {
    return url(user.gitToken(), tenancy.repositoryPath());
  }

  private String url(String token, String path) {
    return "http://git:" + token + "@127.0.0.1:" + port + path;
  }

  private Path sample(String name) {
    return git.newRepository(work.resolve(name), Map.of("index.html", "<h1>hello</h1>\n"));
  }

  @Test
  void aDeveloperPushQueuesABuildAndPrintsItsUrl() throws Exception {
    Path repo = sample("site");
    String commit = git.ok(repo, "rev-parse", "HEAD");

    GitCli.Result push = git.run(repo, "push", url(tenancy.owner), "main");

    assertThat(push.exitCode()).as(push.output()).isZero();
    String buildPath = "/api/v1/tenants/" + tenancy.tenant + "/projects/web/apps/site/builds/1";
    // the build's page in the portal (its route: /t/{tenant}/p/{project}/a/{app}/builds/{n}, by
    // name), then how to follow the log from a terminal
    assertThat(remoteLines(push))
        .containsSubsequence(
            "remote: Slipway: build #1 of "
                + commit.substring(0, 12)
                + " queued for "
                + tenancy.tenant
                + "/web/site",
            "remote: Slipway: https://portal.example.test/t/"
                + tenancy.tenant
                + "/p/web/a/site/builds/1",
            "remote: Slipway: follow its log: slipway-cli builds logs 1 --tenant "
                + tenancy.tenant
                + " --project web --app site");
    Json.Response build = Json.get(tenancy.owner.jwt(), baseUrl() + buildPath);
    assertThat(build.status()).as(build.body()).isEqualTo(200);
    assertThat(build.json().path("commitId").asString()).isEqualTo(commit);
    assertThat(build.json().path("pushedBy").asString()).isEqualTo(tenancy.owner.name());
    assertThat(build.json().path("status").asString()).isIn("queued", "running", "succeeded");

    // the repository is for build-service's user alone: no other local user may read it
    AppIds ids = tenancy.ids();
    Path tenantDir = DATA_DIR.resolve(ids.tenantId());
    Path projectDir = tenantDir.resolve(ids.projectId());
    for (Path dir : List.of(tenantDir, projectDir, projectDir.resolve(ids.appId() + ".git"))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
          .as(dir.toString())
          .isEqualTo("rwx------");
    }

    // the builds API answers 404 to whoever may not read the tenant, 401 without a token
    User outsider = tenancy.user("outsider");
    Json.Response hidden = Json.get(outsider.jwt(), baseUrl() + buildPath);
    assertThat(hidden.status()).isEqualTo(404);
    assertThat(hidden.json().path("type").asString())
        .isEqualTo("https://slipway.io/problems/not-found");
    assertThat(Json.get("not-a-token", baseUrl() + buildPath).status()).isEqualTo(401);

    // a second push is build #2
    writeAndCommit(repo, "index.html", "<h1>hello again</h1>\n");
    GitCli.Result second = git.run(repo, "push", url(tenancy.owner), "main");
    assertThat(second.output()).contains("remote: Slipway: build #2 of ");
    assertThat(remoteLines(second))
        .contains(
            "remote: Slipway: https://portal.example.test/t/"
                + tenancy.tenant
                + "/p/web/a/site/builds/2");
  }

  @Test
  void aBadTokenIsRefused() {
    Path repo = sample("bad-token");
    GitCli.Result push =
        git.run(repo, "push", url("slp_notarealtoken", tenancy.repositoryPath()), "main");
    assertThat(push.exitCode()).isNotZero();
    assertThat(push.output())
        .contains("remote: invalid access token")
        .contains("fatal: Authentication failed");
  }

  @Test
  void noCredentialsAreAskedFor() {
    Path repo = sample("anonymous");
    GitCli.Result push =
        git.run(repo, "push", "http://127.0.0.1:" + port + tenancy.repositoryPath(), "main");
    assertThat(push.exitCode()).isNotZero();
    assertThat(push.output()).contains("could not read Username");
  }

  @Test
  void aViewerMayCloneButNotPush() {
    Path repo = sample("viewer");
    git.ok(repo, "push", url(tenancy.owner), "main");
    User viewer = tenancy.member("viewer");

    GitCli.Result clone = git.run(work, "clone", url(viewer), "cloned");
    assertThat(clone.exitCode()).as(clone.output()).isZero();
    assertThat(work.resolve("cloned/index.html")).hasContent("<h1>hello</h1>");

    writeAndCommit(repo, "index.html", "<h1>viewer edit</h1>\n");
    GitCli.Result push = git.run(repo, "push", url(viewer), "main");
    assertThat(push.exitCode()).isNotZero();
    assertThat(push.output())
        .contains(
            "remote: push refused: "
                + viewer.name()
                + " is a viewer in tenant "
                + tenancy.tenant
                + "; pushing needs developer or tenant-admin");
  }

  @Test
  void nonMembersAndUnknownAppsSeeNoRepository() {
    Path repo = sample("outsider");
    User outsider = tenancy.user("outsider");
    GitCli.Result push = git.run(repo, "push", url(outsider), "main");
    assertThat(push.exitCode()).isNotZero();
    assertThat(push.output()).contains("remote: repository not found").contains("not found");

    String unknownApp = "/git/" + tenancy.tenant + "/web/nope.git";
    GitCli.Result unknown =
        git.run(repo, "push", url(tenancy.owner.gitToken(), unknownApp), "main");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.output()).contains("remote: repository not found");
    // repositories live under ids: nothing is ever made under the names, and no unknown app's
    assertThat(DATA_DIR.resolve(tenancy.tenant)).doesNotExist();
    Path project = DATA_DIR.resolve(tenancy.ids().tenantId()).resolve(tenancy.ids().projectId());
    assertThat(project.toFile().list() == null ? new String[0] : project.toFile().list())
        .allMatch(name -> name.equals(tenancy.ids().appId() + ".git"));
  }

  @Test
  void theDeployBranchCannotBeForcePushedOrDeleted() {
    Path repo = sample("protected");
    git.ok(repo, "push", url(tenancy.owner), "main");
    // rewrite the pushed commit: the new tip does not descend from main's
    git.ok(repo, "commit", "-q", "--amend", "-m", "rewritten history");

    GitCli.Result force = git.run(repo, "push", "--force", url(tenancy.owner), "main");
    assertThat(force.exitCode()).isNotZero();
    assertThat(force.output())
        .contains(
            "! [remote rejected] main -> main (force-push to the deploy branch main is not"
                + " allowed)");

    GitCli.Result delete = git.run(repo, "push", url(tenancy.owner), ":main");
    assertThat(delete.exitCode()).isNotZero();
    assertThat(delete.output())
        .contains("! [remote rejected] main (the deploy branch main cannot be deleted)");

    // other branches may be force-pushed
    git.ok(repo, "push", url(tenancy.owner), "HEAD:refs/heads/feature");
    git.ok(repo, "commit", "-q", "--amend", "-m", "rewritten again");
    GitCli.Result feature =
        git.run(repo, "push", "--force", url(tenancy.owner), "HEAD:refs/heads/feature");
    assertThat(feature.exitCode()).as(feature.output()).isZero();
  }

  @Test
  void aPushLargerThanTheLimitIsRefused() throws Exception {
    Path repo = sample("large");
    byte[] noise = new byte[12 * 1024 * 1024]; // incompressible, above the tests' 8 MB limit
    new java.util.Random(42).nextBytes(noise);
    Files.write(repo.resolve("noise.bin"), noise);
    git.ok(repo, "add", "-A");
    git.ok(repo, "commit", "-q", "-m", "large");

    GitCli.Result push = git.run(repo, "push", url(tenancy.owner), "main");

    assertThat(push.exitCode()).isNotZero();
    assertThat(push.output())
        .contains(
            "error: remote unpack failed: error push exceeds the limit of 8,388,608 bytes; push"
                + " fewer or smaller files");
  }

  /** What git printed from the remote, line by line, without the padding git adds. */
  private static List<String> remoteLines(GitCli.Result result) {
    return result
        .output()
        .lines()
        .filter(line -> line.startsWith("remote: "))
        .map(String::strip)
        .toList();
  }

  private void writeAndCommit(Path repo, String file, String content) {
    try {
      Files.writeString(repo.resolve(file), content);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    git.ok(repo, "add", "-A");
    git.ok(repo, "commit", "-q", "-m", "change " + file);
  }
}
