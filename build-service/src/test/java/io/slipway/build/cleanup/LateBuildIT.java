package io.slipway.build.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.slipway.build.sandbox.BuildSandbox;
import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.Json;
import io.slipway.build.support.StaticBase;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Issue 17: an app deleted while its build runs gets no image and no deploy from that build, in
 * whatever order the build and the deletion end. The deletion is applied in one transaction, so the
 * running build sees none of it until all of it is done (its row already gone), as it would with a
 * consumer quick enough to pass between two of the worker's looks at the build; deploy requests go
 * to a stand-in for runtime-bridge that records them.
 */
@ExtendWith(StaticBase.class)
class LateBuildIT extends BuildServiceTest {

  private static final List<String> DEPLOYS = new CopyOnWriteArrayList<>();
  private static final HttpServer RUNTIME_BRIDGE = runtimeBridge();

  @Autowired CatalogEventConsumer consumer;
  @Autowired BuildSandbox sandbox;
  @Autowired TransactionTemplate tx;
  @TempDir Path work;

  @DynamicPropertySource
  static void lateBuild(DynamicPropertyRegistry registry) {
    registry.add(
        "slipway.build.runtime-bridge-url",
        () -> "http://127.0.0.1:" + RUNTIME_BRIDGE.getAddress().getPort());
    // the test applies deletions itself, at the moment it chooses
    registry.add("slipway.build.catalog-events-interval", () -> "1h");
  }

  @AfterAll
  static void stopRuntimeBridge() {
    RUNTIME_BRIDGE.stop(0);
  }

  @Test
  void anAppDeletedWhileItsBuildRunsKeepsNoImageAndIsNotDeployed() throws Exception {
    Tenancy tenancy = new Tenancy(TestTenantService.url());
    GitCli git = new GitCli(work);
    Path repo =
        git.newRepository(
            work.resolve("slow"),
            Map.of(
                "Containerfile",
                "FROM " + STATIC_BASE_IMAGE + "\nRUN [\"/bin/busybox\", \"sleep\", \"8\"]\n"));
    String commit = git.ok(repo, "rev-parse", "HEAD");
    String image = tenancy.image(IMAGE_PREFIX, "site") + ":" + commit;
    String tenantId = tenancy.ids().tenantId();
    String ids = tenancy.ids().path();
    git.ok(
        repo,
        "push",
        "-q",
        "http://git:" + tenancy.owner.gitToken() + "@127.0.0.1:" + port + tenancy.repositoryPath(),
        "HEAD:main");
    String buildUrl =
        baseUrl()
            + "/api/v1/tenants/"
            + tenancy.tenant
            + "/projects/"
            + tenancy.project
            + "/apps/site/builds/1";
    Path[] context = new Path[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              JsonNode build = Json.get(tenancy.owner.jwt(), buildUrl).json();
              context[0] = buildDirectory(tenantId, build.path("id").asString());
              return "running".equals(build.path("status").asString()) && context[0] != null;
            });

    tenancy.deleteApp();
    tx.executeWithoutResult(status -> assertThat(consumer.catchUp()).isEqualTo(1));

    // the build has ended once its directory is gone (the last thing it does)
    await().atMost(Duration.ofSeconds(120)).until(() -> !Files.exists(context[0]));
    assertThat(Commands.run("podman", "image", "exists", image).exitCode())
        .as("an image of the deleted app")
        .isNotZero();
    assertThat(Commands.imageNames()).doesNotContain(ids);
    assertThat(DEPLOYS).isEmpty();
  }

  @Test
  void aDeletedAppsImagesLeaveItsTenantsOwnStoreAndTheImportedBaseStays() throws Exception {
    Tenancy tenancy = new Tenancy(TestTenantService.url());
    GitCli git = new GitCli(work);
    Path repo =
        git.newRepository(
            work.resolve("kept"),
            Map.of(
                "Containerfile",
                "FROM " + STATIC_BASE_IMAGE + "\nRUN [\"/bin/busybox\", \"true\"]\n"));
    git.ok(
        repo,
        "push",
        "-q",
        "http://git:" + tenancy.owner.gitToken() + "@127.0.0.1:" + port + tenancy.repositoryPath(),
        "HEAD:main");
    tenancy.awaitSucceeded(baseUrl(), 1);
    String tenantId = tenancy.ids().tenantId();
    String ids = tenancy.ids().path();
    assertThat(sandbox.storeImages(tenantId))
        .anyMatch(image -> image.contains(ids))
        .contains(STATIC_BASE_IMAGE);

    tenancy.deleteApp();
    tx.executeWithoutResult(status -> assertThat(consumer.catchUp()).isEqualTo(1));

    assertThat(sandbox.storeImages(tenantId))
        .noneMatch(image -> image.contains(ids))
        .contains(STATIC_BASE_IMAGE);
    // applied again (a service that failed half-way): nothing left to remove, no error
    sandbox.removeStoreImages(tenantId, image -> image.contains(ids));
  }

  /** The build's directory in the tenant's workspace, while it exists. */
  private Path buildDirectory(String tenantId, String buildId) throws IOException {
    if (buildId.isEmpty()) {
      return null;
    }
    try (Stream<Path> dirs = Files.list(sandbox.workspace(tenantId))) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("slipway-build-" + buildId))
          .findFirst()
          .orElse(null);
    }
  }

  /** Answers every deploy request 201 and records its path. */
  private static HttpServer runtimeBridge() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/",
          exchange -> {
            DEPLOYS.add(exchange.getRequestURI().getPath());
            byte[] body = "{\"revision\":1,\"status\":\"live\"}".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
