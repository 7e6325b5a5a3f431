package io.slipway.build.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.build.support.StaticBase;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.TestPropertySource;

/** A followed push lets go after {@code push-follow-limit}; the build goes on. */
@TestPropertySource(properties = "slipway.build.push-follow-limit=2s")
@ExtendWith(StaticBase.class)
class PushFollowLimitIT extends BuildServiceTest {

  @TempDir Path work;

  @Test
  void aFollowedPushLetsGoAfterTheLimitWhileTheBuildGoesOn() {
    GitCli git = new GitCli(work);
    Tenancy tenancy = new Tenancy(TestTenantService.url());
    Path repo =
        git.newRepository(
            work.resolve("sleeper"),
            Map.of(
                "Containerfile",
                "FROM " + STATIC_BASE_IMAGE + "\nRUN [\"/bin/busybox\", \"sleep\", \"600\"]\n"));
    String url =
        "http://git:" + tenancy.owner.gitToken() + "@127.0.0.1:" + port + tenancy.repositoryPath();

    GitCli.Result push = git.run(repo, "push", "-o", "follow", url, "main");

    assertThat(push.exitCode()).as(push.output()).isZero();
    String buildPath = "/api/v1/tenants/" + tenancy.tenant + "/projects/web/apps/site/builds/1";
    assertThat(
            push.output()
                .lines()
                .map(String::strip)
                .filter(line -> line.startsWith("remote: Slipway: "))
                .toList())
        .last()
        .isEqualTo(
            "remote: Slipway: the build goes on, no longer followed here after 2 seconds:"
                + " https://portal.example.test/t/"
                + tenancy.tenant
                + "/p/web/a/site/builds/1");
    Json.Response build = Json.get(tenancy.owner.jwt(), baseUrl() + buildPath);
    assertThat(build.json().path("status").asString()).isIn("queued", "running");
    Json.Response cancel = Json.post(tenancy.owner.jwt(), baseUrl() + buildPath + "/cancel", null);
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
  }
}
