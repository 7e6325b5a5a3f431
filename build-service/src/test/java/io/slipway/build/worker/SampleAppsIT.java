package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.Json;
import io.slipway.build.support.RunningApp;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/**
 * The samples the whole-loop test does not push (bench's {@code WholeLoopIT} pushes the node,
 * python, python-gunicorn, java-maven, ruby, php and dockerfile samples through the whole platform,
 * router included, so they are not built a second time here): go-app and java-gradle-app, pushed
 * with the real git client, built by the platform on the stack images {@code ./slipway test} makes
 * (config/stacks), run by podman the way runtime-bridge runs apps (read-only root, no capabilities,
 * no privilege escalation, uid 65534), and fetched. The java-gradle sample's dependency (Commons
 * Lang) comes from Maven Central; the go sample has none.
 */
class SampleAppsIT extends BuildServiceTest {

  private static final Path SAMPLES = Path.of("..", "samples").toAbsolutePath().normalize();

  @TempDir Path work;
  private RunningApp app;
  private String image;

  @BeforeAll
  static void stackImagesExist() {
    for (String stack : new String[] {"java-gradle", "java-runtime", "go"}) {
      String name = "localhost/slipway/stacks/" + stack + ":1";
      assertThat(Commands.run("podman", "image", "exists", name).exitCode())
          .as(name + " is missing: ./slipway test builds the stack images before Maven runs")
          .isZero();
    }
  }

  @AfterEach
  void cleanUp() {
    if (app != null) {
      app.close();
    }
    if (image != null) {
      Commands.run("buildah", "rmi", "-f", image);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "go-app, go, Hello from go-app on Slipway",
    "java-gradle-app, java-gradle, Hello from java-gradle-app on Slipway",
  })
  void aPushedSampleIsBuiltAndServesItsPage(String sample, String builtWith, String expected)
      throws Exception {
    GitCli git = new GitCli(work);
    Tenancy tenancy = new Tenancy(TestTenantService.url());
    Path repo = work.resolve(sample);
    FileSystemUtils.copyRecursively(SAMPLES.resolve(sample), repo);
    git.newRepository(repo, Map.of());
    String commit = git.ok(repo, "rev-parse", "HEAD");
    image = tenancy.image(IMAGE_PREFIX, "site") + ":" + commit;

    long pushedAt = System.nanoTime();
    String pushed =
        git.ok(
            repo,
            "push",
            "http://git:"
                + tenancy.owner.gitToken()
                + "@127.0.0.1:"
                + port
                + tenancy.repositoryPath(),
            "main");
    assertThat(pushed).contains("remote: Slipway: build #1 of " + commit.substring(0, 12));

    JsonNode build = awaitEnd(tenancy, 1);
    System.out.printf(
        "%s: push-to-image %d ms, stages %s%n",
        sample, (System.nanoTime() - pushedAt) / 1_000_000, build.path("stages"));
    assertThat(build.path("status").asString())
        .as(() -> build + "\n" + logOf(tenancy, 1))
        .isEqualTo("succeeded");
    assertThat(build.path("image").asString()).isEqualTo(image);
    assertThat(build.path("digest").asString()).startsWith("sha256:");
    assertThat(build.path("stages").valueStream().map(stage -> stage.path("name").asString()))
        .containsExactly("receive", "queue", "build", "image");
    assertThat(build.path("receivedAt").asString()).isNotBlank();
    String log = logOf(tenancy, 1);
    if (builtWith.equals("Containerfile")) {
      assertThat(log).doesNotContain("No Containerfile");
    } else {
      assertThat(log).contains("building with the " + builtWith + " stack");
    }

    assertThat(Commands.ok("podman", "image", "inspect", "--format", "{{.Config.User}}", image))
        .isEqualTo("65534");
    app = new RunningApp(image);
    assertThat(app.page()).isEqualTo(expected + "\n");
  }

  private JsonNode awaitEnd(Tenancy tenancy, int number) {
    String url =
        baseUrl()
            + "/api/v1/tenants/"
            + tenancy.tenant
            + "/projects/web/apps/site/builds/"
            + number;
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              last[0] = Json.get(tenancy.owner.jwt(), url).json();
              return Stream.of("succeeded", "failed", "cancelled")
                  .anyMatch(last[0].path("status").asString()::equals);
            });
    return last[0];
  }

  private String logOf(Tenancy tenancy, int number) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(
                      URI.create(
                          baseUrl()
                              + "/api/v1/tenants/"
                              + tenancy.tenant
                              + "/projects/web/apps/site/builds/"
                              + number
                              + "/logs"))
                  .header("Authorization", "Bearer " + tenancy.owner.jwt())
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e.toString();
    }
  }
}
