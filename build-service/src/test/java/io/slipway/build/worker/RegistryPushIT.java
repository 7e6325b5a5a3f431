package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.Json;
import io.slipway.build.support.Tenancy;
import io.slipway.build.support.TenantServiceRunner;
import io.slipway.testing.GitCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * With {@code slipway.build.registry.url} set, a built image is pushed with skopeo to an OCI
 * registry (Debian's {@code docker-registry}, started here on a free loopback port, plain HTTP),
 * and the manifest the build records by digest is served by the registry's HTTP API.
 */
class RegistryPushIT extends BuildServiceTest {

  private static Process registry;
  private static int registryPort;
  private static Path registryDir;

  @TempDir Path work;
  private String image;

  @DynamicPropertySource
  static void registry(DynamicPropertyRegistry properties) {
    properties.add("slipway.build.registry.url", () -> "127.0.0.1:" + startRegistry());
    properties.add("slipway.build.registry.tls-verify", () -> "false");
  }

  private static synchronized int startRegistry() {
    if (registry != null) {
      return registryPort;
    }
    try {
      registryPort = Commands.freePort();
      registryDir = tempDir("slipway-build-test-registry");
      Path config = registryDir.resolve("config.yml");
      Files.writeString(
          config,
          """
          version: 0.1
          log:
            level: warn
          storage:
            filesystem:
              rootdirectory: %s
          http:
            addr: 127.0.0.1:%d
          """
              .formatted(registryDir.resolve("data"), registryPort));
      registry =
          new ProcessBuilder("docker-registry", "serve", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(registryDir.resolve("registry.log").toFile())
              .start();
      HttpClient http = HttpClient.newHttpClient();
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> get(http, "/v2/", "application/json").statusCode() == 200);
      return registryPort;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stopRegistry() throws InterruptedException {
    if (registry != null) {
      registry.destroy();
      registry.waitFor();
    }
  }

  @AfterEach
  void removeImage() {
    if (image != null) {
      Commands.run("buildah", "rmi", "-f", image);
    }
  }

  @Test
  void aBuiltImageIsPushedAndItsManifestIsServedByDigest() throws Exception {
    GitCli git = new GitCli(work);
    Tenancy tenancy = new Tenancy(TenantServiceRunner.url());
    Path repo = Files.createDirectories(work.resolve("site"));
    Files.copy(Path.of("/bin/busybox"), repo.resolve("busybox"));
    git.newRepository(
        repo,
        Map.of(
            "Containerfile",
            "FROM scratch\nCOPY busybox /bin/busybox\nUSER 65534\nCMD [\"/bin/busybox\"]\n"));
    String commit = git.ok(repo, "rev-parse", "HEAD");
    image = IMAGE_PREFIX + "/" + tenancy.tenant + "/web/site:" + commit;
    git.ok(
        repo,
        "push",
        "http://git:" + tenancy.owner.gitToken() + "@127.0.0.1:" + port + tenancy.repositoryPath(),
        "main");

    String url =
        baseUrl() + "/api/v1/tenants/" + tenancy.tenant + "/projects/web/apps/site/builds/1";
    JsonNode[] build = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              build[0] = Json.get(tenancy.owner.jwt(), url).json();
              return Stream.of("succeeded", "failed")
                  .anyMatch(build[0].path("status").asString()::equals);
            });
    assertThat(build[0].path("status").asString()).as(build[0].toString()).isEqualTo("succeeded");
    String repository = "127.0.0.1:" + registryPort + "/" + tenancy.tenant + "/web/site";
    String reference = build[0].path("registryImage").asString();
    assertThat(reference).startsWith(repository + "@sha256:");
    String digest = reference.substring(reference.indexOf('@') + 1);

    HttpResponse<String> manifest =
        get(
            HttpClient.newHttpClient(),
            "/v2/" + tenancy.tenant + "/web/site/manifests/" + digest,
            "application/vnd.oci.image.manifest.v1+json,"
                + " application/vnd.docker.distribution.manifest.v2+json");
    assertThat(manifest.statusCode()).as(manifest.body()).isEqualTo(200);
    assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
    assertThat(manifest.body()).contains("\"layers\"");
    HttpResponse<String> tag =
        get(
            HttpClient.newHttpClient(),
            "/v2/" + tenancy.tenant + "/web/site/tags/list",
            "application/json");
    assertThat(tag.body()).contains(commit);
  }

  private static HttpResponse<String> get(HttpClient http, String path, String accept)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + registryPort + path))
            .header("Accept", accept)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
