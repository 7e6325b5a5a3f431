package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.build.support.StaticBase;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A repository with only an index.html, pushed over git, built with the static-site stack's
 * generated Containerfile on a base image made here from /bin/busybox, run with podman and fetched.
 */
@ExtendWith(StaticBase.class)
class StaticSiteBuildIT extends BuildServiceTest {

  @TempDir Path work;
  private String container;
  private String image;

  @AfterEach
  void cleanUp() throws Exception {
    if (container != null) {
      run("podman", "rm", "-f", "-t", "0", container);
    }
    if (image != null) {
      run("buildah", "rmi", "-f", image);
    }
  }

  /**
   * Issue 17: tenant {@code acme}/project {@code web-prod} and tenant {@code acme-web}/project
   * {@code prod} once shared a repository directory and an image name. Each now builds its own.
   */
  @Test
  void appsWhoseNamesOnceCollidedGetTheirOwnRepositoryAndImage() throws Exception {
    GitCli git = new GitCli(work);
    String acme = "c" + java.util.UUID.randomUUID().toString().substring(0, 8);
    Tenancy first = new Tenancy(TestTenantService.url(), acme, "web-prod", null);
    Tenancy second = new Tenancy(TestTenantService.url(), acme + "-web", "prod", first.owner);
    List<String> images = new java.util.ArrayList<>();
    try {
      for (Tenancy tenancy : List.of(first, second)) {
        Path repo =
            git.newRepository(
                work.resolve(tenancy.tenant),
                Map.of("index.html", "<h1>" + tenancy.tenant + "</h1>"));
        images.add(tenancy.image(IMAGE_PREFIX, "site") + ":" + git.ok(repo, "rev-parse", "HEAD"));
        git.ok(
            repo,
            "push",
            "http://git:"
                + first.owner.gitToken()
                + "@127.0.0.1:"
                + port
                + tenancy.repositoryPath(),
            "main");
      }
      JsonNode one = first.awaitSucceeded(baseUrl(), 1);
      JsonNode two = second.awaitSucceeded(baseUrl(), 1);
      assertThat(one.path("image").asString()).isEqualTo(images.get(0));
      assertThat(two.path("image").asString()).isEqualTo(images.get(1));
      assertThat(images).doesNotHaveDuplicates();
      Path firstRepository = first.ids().repositoryIn(DATA_DIR);
      Path secondRepository = second.ids().repositoryIn(DATA_DIR);
      assertThat(firstRepository).isDirectory().isNotEqualTo(secondRepository);
      assertThat(secondRepository).isDirectory();
      assertThat(one.path("commitId").asString()).isNotEqualTo(two.path("commitId").asString());
    } finally {
      for (String built : images) {
        run("buildah", "rmi", "-f", built);
      }
    }
  }

  @Test
  void aRepositoryWithOnlyAnIndexHtmlIsServedByTheStaticStack() throws Exception {
    GitCli git = new GitCli(work);
    Tenancy tenancy = new Tenancy(TestTenantService.url());
    Path repo =
        git.newRepository(
            work.resolve("site"),
            Map.of("index.html", "<h1>static stack</h1>", "css/site.css", "h1{}"));
    String commit = git.ok(repo, "rev-parse", "HEAD");
    image = tenancy.image(IMAGE_PREFIX, "site") + ":" + commit;
    git.ok(
        repo,
        "push",
        "http://git:" + tenancy.owner.gitToken() + "@127.0.0.1:" + port + tenancy.repositoryPath(),
        "main");

    String path = "/api/v1/tenants/" + tenancy.tenant + "/projects/web/apps/site/builds/1";
    JsonNode[] build = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              build[0] = Json.get(tenancy.owner.jwt(), baseUrl() + path).json();
              String status = build[0].path("status").asString();
              return status.equals("succeeded") || status.equals("failed");
            });
    assertThat(build[0].path("status").asString()).as(build[0].toString()).isEqualTo("succeeded");
    assertThat(build[0].path("image").asString()).isEqualTo(image);

    int hostPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      hostPort = socket.getLocalPort();
    }
    container = "slipway-build-test-" + UUID.randomUUID().toString().substring(0, 8);
    run("podman", "run", "-d", "--name", container, "-p", "127.0.0.1:" + hostPort + ":8080", image);
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(get(http, hostPort, "/index.html")).contains("<h1>static stack</h1>");
              assertThat(get(http, hostPort, "/css/site.css")).isEqualTo("h1{}");
            });
    assertThat(run("podman", "inspect", "--format", "{{.Config.User}}", image).trim())
        .isEqualTo("65534");
  }

  private static String get(HttpClient http, int port, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    process.waitFor();
    return output;
  }
}
