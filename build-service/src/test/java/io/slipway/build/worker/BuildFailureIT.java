package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.StaticBase;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * One failing build per cause, pushed as a tenant would and built in the real sandbox: the reason
 * the API gives (and the portal and {@code git push} show) names the cause in plain words.
 */
@ExtendWith(StaticBase.class)
class BuildFailureIT extends BuildServiceTest {

  private static final String SH = "[\"/bin/busybox\", \"sh\", \"-c\", \"%s\"]";

  @TempDir Path work;
  private GitCli git;
  private Tenancy tenant;
  private int pushes;

  @BeforeEach
  void setUp() {
    git = new GitCli(work);
    tenant = new Tenancy(TestTenantService.url());
  }

  @Test
  void aMissingBaseImageNamesItAndTheBasesThatExist() {
    String reason = fails(Map.of("Containerfile", "FROM localhost/no-such/base:1\n"));

    assertThat(reason)
        .startsWith("the base image localhost/no-such/base:1 does not exist here:")
        .contains("or one of the platform's: ")
        .contains(STATIC_BASE_IMAGE);
  }

  @Test
  void aStepRefusedTheNetworkSaysWhatBuildsCanReach() {
    String reason =
        fails(
            Map.of(
                "Containerfile",
                "FROM "
                    + STATIC_BASE_IMAGE
                    + "\nRUN "
                    + SH.formatted("/bin/busybox wget -q -O- http://127.0.0.1/")
                    + "\n"));

    assertThat(reason)
        .startsWith(
            "the step `RUN /bin/busybox sh -c /bin/busybox wget -q -O- http://127.0.0.1/`"
                + " needed the network and could not reach it: builds reach only public package"
                + " registries, through the platform's proxy;")
        .contains("egress refused: 127.0.0.1:80 is the host's loopback");
  }

  @Test
  void aFailedDependencyInstallIsNamedByItsCommand() {
    String reason =
        fails(
            Map.of(
                "npm",
                "echo 'npm error 404 Not Found - GET https://registry.npmjs.org/no-such-package'\n"
                    + "exit 1\n",
                "Containerfile",
                "FROM "
                    + STATIC_BASE_IMAGE
                    + "\nCOPY npm /usr/local/bin/npm\n"
                    + "RUN [\"/bin/busybox\", \"sh\", \"/usr/local/bin/npm\", \"ci\"]\n"));

    assertThat(reason)
        .startsWith(
            "the dependency install `RUN /bin/busybox sh /usr/local/bin/npm ci` failed (exit"
                + " status 1)")
        .contains("no-such-package");
  }

  @Test
  void aStepDeniedPermissionSaysSo() {
    String reason =
        fails(
            Map.of(
                "Containerfile",
                "FROM "
                    + STATIC_BASE_IMAGE
                    + "\nUSER 1000\nRUN "
                    + SH.formatted("echo x > /bin/y")
                    + "\n"));

    assertThat(reason)
        .startsWith("the step `RUN /bin/busybox sh -c echo x > /bin/y` was denied permission");
  }

  @Test
  void aFileMissingFromTheRepositoryIsNamed() {
    String reason =
        fails(Map.of("Containerfile", "FROM " + STATIC_BASE_IMAGE + "\nCOPY nothere /x\n"));

    assertThat(reason)
        .startsWith(
            "the step `COPY nothere /x` names /nothere, which is not in the repository at this"
                + " commit");
  }

  /** Pushes a repository of {@code files}; the build must fail, and its reason is returned. */
  private String fails(Map<String, String> files) {
    Path repo = git.newRepository(work.resolve("repo-" + pushes), files);
    git.ok(
        repo,
        "push",
        "-q",
        "http://git:" + tenant.owner.gitToken() + "@127.0.0.1:" + port + tenant.repositoryPath(),
        "HEAD:main");
    JsonNode build = tenant.awaitEnded(baseUrl(), ++pushes);
    assertThat(build.path("status").asString()).as(build.toString()).isEqualTo("failed");
    assertThat(build.path("reason").asString())
        .as("the reason ends with the log's last lines")
        .contains("; the log ends with:\n");
    return build.path("reason").asString();
  }
}
