package io.slipway.build.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.build.support.Tenancy;
import io.slipway.build.support.Tenancy.User;
import io.slipway.testing.TestTenantService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes with JGit's client (what IDEs and CI tools embed) over real HTTP, and what it reports: the
 * remote's messages on success, and the reason of each refusal.
 */
class JGitClientPushIT extends BuildServiceTest {

  private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.test");

  @TempDir Path work;
  private Tenancy tenancy;
  private Git git;

  @BeforeEach
  void setUp() throws Exception {
    tenancy = new Tenancy(TestTenantService.url());
    git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call();
  }

  @AfterEach
  void close() {
    git.close();
  }

  @Test
  void anAcceptedPushReportsTheQueuedBuild() throws Exception {
    RevCommit commit = commit("index.html", "<h1>jgit</h1>".getBytes());

    PushResult result = push(tenancy.owner, "main:main");

    assertThat(update(result).getStatus()).isEqualTo(RemoteRefUpdate.Status.OK);
    assertThat(result.getMessages())
        .contains("Slipway: build #1 of " + commit.abbreviate(12).name() + " queued for ");
  }

  @Test
  void aBadTokenIsNotAuthorized() throws Exception {
    commit("index.html", "x".getBytes());
    User forged = new User("forged", tenancy.owner.jwt(), "slp_not-a-real-token");
    assertThatThrownBy(() -> push(forged, "main:main"))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("not authorized");
  }

  @Test
  void aViewerIsNotPermittedToPush() throws Exception {
    commit("index.html", "x".getBytes());
    assertThatThrownBy(() -> push(tenancy.member("viewer"), "main:main"))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("not permitted");
  }

  @Test
  void aForcePushToTheDeployBranchIsRejectedWithTheReason() throws Exception {
    commit("index.html", "one".getBytes());
    commit("index.html", "two".getBytes());
    assertThat(update(push(tenancy.owner, "main:main")).getStatus())
        .isEqualTo(RemoteRefUpdate.Status.OK);
    git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef("HEAD~1").call();
    commit("index.html", "rewritten".getBytes());

    RemoteRefUpdate update = update(push(tenancy.owner, "+main:main"));

    assertThat(update.getStatus()).isEqualTo(RemoteRefUpdate.Status.REJECTED_OTHER_REASON);
    assertThat(update.getMessage())
        .isEqualTo("force-push to the deploy branch main is not allowed");
  }

  @Test
  void aPushThatWouldOutgrowTheStorageQuotaIsRejectedAndLeavesNoTrace() throws Exception {
    Json.Response quota =
        Json.put(
            tenancy.owner.jwt(),
            TestTenantService.url() + "/api/v1/tenants/" + tenancy.tenant + "/projects/web/quota",
            Map.of("storageMib", 1));
    assertThat(quota.status()).as(quota.body()).isEqualTo(200);
    byte[] noise = new byte[3 * 1024 * 1024]; // random bytes do not compress
    new Random(42).nextBytes(noise);
    commit("big.bin", noise);

    RemoteRefUpdate update = update(push(tenancy.owner, "main:main"));

    assertThat(update.getStatus()).isEqualTo(RemoteRefUpdate.Status.REJECTED_OTHER_REASON);
    assertThat(update.getMessage())
        .matches(
            "the repository would be 3\\.\\d MiB, over the project's storage quota of 1 MiB"
                + " \\(storageMib\\)");
    Path repository = tenancy.ids().repositoryIn(DATA_DIR);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(StorageQuotaLimit.sizeOf(repository))
                    .as(() -> listing(repository))
                    .isLessThan(512 * 1024));

    git.close();
    git = Git.init().setDirectory(work.resolve("small").toFile()).setInitialBranch("main").call();
    Files.writeString(work.resolve("small/index.html"), "small");
    git.add().addFilepattern("index.html").call();
    git.commit().setMessage("small").setAuthor(AUTHOR).setCommitter(AUTHOR).call();
    assertThat(update(push(tenancy.owner, "main:main")).getStatus())
        .as("the refused pack no longer counts")
        .isEqualTo(RemoteRefUpdate.Status.OK);
  }

  private static String listing(Path dir) {
    try (var files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(file -> dir.relativize(file) + " " + file.toFile().length())
          .toList()
          .toString();
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return e.toString(); // a GC removed a file while walking
    }
  }

  private RevCommit commit(String file, byte[] content) throws Exception {
    Files.write(work.resolve(file), content);
    git.add().addFilepattern(file).call();
    return git.commit().setMessage("change " + file).setAuthor(AUTHOR).setCommitter(AUTHOR).call();
  }

  private PushResult push(User user, String refSpec) throws Exception {
    return git.push()
        .setRemote("http://127.0.0.1:" + port + tenancy.repositoryPath())
        .setRefSpecs(new RefSpec(refSpec))
        .setCredentialsProvider(new UsernamePasswordCredentialsProvider("git", user.gitToken()))
        .call()
        .iterator()
        .next();
  }

  private static RemoteRefUpdate update(PushResult result) {
    return result.getRemoteUpdate("refs/heads/main");
  }
}
