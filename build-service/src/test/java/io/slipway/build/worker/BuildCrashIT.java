package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.Commands;
import io.slipway.build.support.Json;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.ServiceProcess;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPostgres;
import io.slipway.testing.TestTenantService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * build-service run as its own JVM (the packaged jar) and killed with SIGKILL in the middle of a
 * build: once started again, the build is failed with a reason rather than left running, its quota
 * is released, and neither the orphaned podman run nor its sandbox container is left behind.
 */
class BuildCrashIT {

  private static final String IMAGE_PREFIX = "localhost/slipway-build-test";

  @TempDir Path work;
  @TempDir Path data;
  private String base;
  private ServiceProcess service;

  @AfterEach
  void cleanUp() {
    if (service != null) {
      service.close();
    }
    if (base != null) {
      Commands.run("buildah", "rmi", "-f", base + ":1");
    }
  }

  @Test
  void aBuildInterruptedByAKilledJvmIsFailedAndCleanedUpOnRestart() throws Exception {
    base = IMAGE_PREFIX + "/crash-base-" + UUID.randomUUID().toString().substring(0, 8);
    Path baseContext = Files.createDirectories(work.resolve("base"));
    Files.copy(Path.of("/bin/busybox"), baseContext.resolve("busybox"));
    Files.writeString(
        baseContext.resolve("Containerfile"), "FROM scratch\nCOPY busybox /bin/busybox\n");
    Commands.ok("buildah", "bud", "--pull=never", "--tag=" + base + ":1", baseContext.toString());
    Tenancy tenancy = new Tenancy(TestTenantService.url());
    service = ServiceProcess.start("build-service", Map.of(), arguments());
    GitCli git = new GitCli(work);
    Path repo =
        git.newRepository(
            work.resolve("sleeper"),
            Map.of(
                "Containerfile",
                "FROM " + base + ":1\nRUN [\"/bin/busybox\", \"sleep\", \"600\"]\n"));
    git.ok(
        repo,
        "push",
        "http://git:"
            + tenancy.owner.gitToken()
            + "@127.0.0.1:"
            + service.port()
            + tenancy.repositoryPath(),
        "main");
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> build(tenancy).path("status").asString().equals("running"));
    JsonNode running = build(tenancy);
    UUID id = UUID.fromString(running.path("id").asString());
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Commands.sandboxExists(id, tenancy.ids().tenantId()));
    // a warm builder exists before the build's buildah starts in it
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !processesOf(id).isEmpty());

    service.kill();
    assertThat(processesOf(id)).as("buildah outlives the killed JVM").isNotEmpty();
    service.restart();

    JsonNode failed = build(tenancy);
    assertThat(failed.path("status").asString()).as(failed.toString()).isEqualTo("failed");
    assertThat(failed.path("reason").asString())
        .isEqualTo("build-service stopped during the build");
    await().atMost(Duration.ofSeconds(30)).until(() -> processesOf(id).isEmpty());
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(Commands.sandboxExists(id, tenancy.ids().tenantId())).isFalse());
    assertThat(activeReservations(tenancy)).isZero();
  }

  private List<String> arguments() {
    return List.of(
        "--spring.datasource.url=" + TestPostgres.newDatabase(),
        "--spring.datasource.username=postgres",
        "--spring.datasource.password=postgres",
        "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + TestKeycloak.issuer(),
        "--slipway.build.oidc-issuer=" + TestKeycloak.issuer(),
        "--slipway.build.client-secret=" + TestKeycloak.serviceClientSecret("build-service"),
        "--slipway.build.tenant-api-url=" + TestTenantService.url(),
        "--slipway.build.data-dir=" + data,
        // the push returns once its build is queued: the build is killed while it runs
        "--slipway.build.follow-pushes=false",
        "--slipway.build.image-prefix=" + IMAGE_PREFIX,
        "--slipway.build.poll-interval=100ms",
        // the test's own base, which the tenant's sandbox imports like a stack's
        "--slipway.build.sandbox.platform-images=" + base + ":1",
        // nor copy every stack's image at start-up, which keeps the service out of service (its
        // health) until done: on a loaded machine longer than the test waits for it to be healthy
        "--slipway.build.sandbox.prepare-platform-images=false");
  }

  private JsonNode build(Tenancy tenancy) {
    return Json.get(
            tenancy.owner.jwt(),
            service.url()
                + "/api/v1/tenants/"
                + tenancy.tenant
                + "/projects/web/apps/site/builds/1")
        .json();
  }

  private static long activeReservations(Tenancy tenancy) {
    return Json.get(
            tenancy.owner.jwt(),
            TestTenantService.url()
                + "/api/v1/tenants/"
                + tenancy.tenant
                + "/reservations?active=true")
        .json()
        .path("total")
        .asLong();
  }

  private static List<ProcessHandle> processesOf(UUID build) {
    String marker = "slipway-build-" + build + "-";
    return ProcessHandle.allProcesses()
        .filter(
            process ->
                process.info().arguments().stream()
                    .flatMap(Stream::of)
                    .anyMatch(argument -> argument.contains(marker)))
        .toList();
  }
}
