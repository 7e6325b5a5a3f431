package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.Json;
import io.slipway.build.support.RunningApp;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestPythonIndex;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/**
 * Every sample in {@code samples/} pushed with the real git client, built by the platform on the
 * stack images {@code ./slipway test} makes (config/stacks), run by podman the way runtime-bridge
 * runs apps (read-only root, no capabilities, no privilege escalation, uid 65534), and fetched. The
 * node sample's dependency comes from the npm registry; the public Python index is not reachable
 * here, so the python samples' come from the tests' own ({@link TestPythonIndex}): python-app's
 * {@code humanize}, and python-gunicorn-app's {@code gunicorn}, which its Procfile's web line runs
 * from the build's virtualenv (its page names the server that answered). The java-gradle sample's
 * dependency (Commons Lang) comes from Maven Central. The ruby and php samples need no package
 * repository: WEBrick is Debian's, in the ruby stack's runtime image, and the php sample's Composer
 * autoloader loads only its own classes.
 */
class SampleAppsIT extends BuildServiceTest {

  private static final Path SAMPLES = Path.of("..", "samples").toAbsolutePath().normalize();
  private static final TestPythonIndex INDEX = new TestPythonIndex();

  @TempDir Path work;
  private RunningApp app;
  private String image;

  @DynamicPropertySource
  static void packageIndex(DynamicPropertyRegistry registry) {
    registry.add("slipway.build.egress.allowed-cidrs", INDEX::cidr);
    registry.add("slipway.build.stacks.python.index-url", INDEX::url);
  }

  @BeforeAll
  static void startIndex(@TempDir Path dir) throws Exception {
    INDEX.open(dir);
  }

  @AfterAll
  static void stopIndex() {
    INDEX.close();
  }

  @BeforeAll
  static void stackImagesExist() {
    for (String stack :
        new String[] {
          "node",
          "node-runtime",
          "python",
          "java-maven",
          "java-gradle",
          "go",
          "ruby",
          "ruby-runtime",
          "php",
          "php-runtime"
        }) {
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
    "node-app, node, Hello from node-app on Slipway",
    "python-app, python, Hello from python-app on Slipway",
    "python-gunicorn-app, python, 'Hello from python-gunicorn-app on Slipway, served by gunicorn/20.1.0'",
    "java-maven-app, java-maven, Hello from java-maven-app on Slipway",
    "java-gradle-app, java-gradle, Hello from java-gradle-app on Slipway",
    "go-app, go, Hello from go-app on Slipway",
    "ruby-app, ruby, Hello from ruby-app on Slipway",
    "php-app, php, Hello from php-app on Slipway",
    "dockerfile-app, Containerfile, Hello from dockerfile-app on Slipway",
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
