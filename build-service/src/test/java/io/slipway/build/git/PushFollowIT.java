package io.slipway.build.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.build.support.StaticBase;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/**
 * A followed push (the platform's default; {@code -o no-follow} opts out): the push is held open
 * while the build runs, its log reaches the pusher as it is written, and the push ends with how the
 * build ended, or when the pusher leaves.
 */
@ExtendWith(OutputCaptureExtension.class)
@ExtendWith(StaticBase.class)
// as the platform runs by default (the other tests of build-service push without following)
@TestPropertySource(properties = "slipway.build.follow-pushes=true")
class PushFollowIT extends BuildServiceTest {

  @TempDir Path work;
  private GitCli git;
  private Tenancy tenancy;

  @BeforeEach
  void setUp() {
    git = new GitCli(work);
    tenancy = new Tenancy(TestTenantService.url());
  }

  /** A line git printed, and when, in milliseconds since the push started. */
  record Line(long millis, String text) {}

  @Test
  void theLogReachesThePusherAsItIsWrittenAndThePushEndsWithTheBuild() throws Exception {
    Path repo =
        git.newRepository(
            work.resolve("site"),
            Map.of(
                "Containerfile",
                "FROM "
                    + STATIC_BASE_IMAGE
                    + "\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo relay-first;"
                    + " /bin/busybox sleep 3; echo relay-second\"]\n"));
    images.add(tenancy.image(IMAGE_PREFIX, "site") + ":" + git.ok(repo, "rev-parse", "HEAD"));

    List<Line> lines = push(repo);

    Line first = relayed(lines, "relay-first");
    Line second = relayed(lines, "relay-second");
    // had the messages been held until the hook returned, both would arrive together
    assertThat(second.millis() - first.millis()).as(lines.toString()).isGreaterThanOrEqualTo(2000);
    assertThat(slipwayLines(lines))
        .last()
        .isEqualTo(
            "remote: Slipway: build #1 succeeded; it is not deployed: no runtime-bridge is"
                + " configured");
    // the push let go when the build ended, not before
    assertThat(build(1).path("status").asString()).isEqualTo("succeeded");
  }

  @Test
  void aFailedBuildEndsThePushWithItsReason() throws Exception {
    Path repo =
        git.newRepository(work.resolve("nothing"), Map.of("README.md", "nothing to build\n"));

    List<Line> lines = push(repo, "-o", "follow");

    assertThat(slipwayLines(lines))
        .last()
        .asString()
        .startsWith(
            "remote: Slipway: build #1 failed: no Containerfile or Dockerfile at the repository"
                + " root");
    assertThat(build(1).path("status").asString()).isEqualTo("failed");
  }

  @Test
  void withNoFollowThePushDoesNotWaitForTheBuild() throws Exception {
    Path repo =
        git.newRepository(
            work.resolve("sleeper"),
            Map.of(
                "Containerfile",
                "FROM " + STATIC_BASE_IMAGE + "\nRUN [\"/bin/busybox\", \"sleep\", \"600\"]\n"));

    List<Line> lines = push(repo, "-o", "no-follow");

    assertThat(slipwayLines(lines))
        .noneMatch(line -> line.contains(" succeeded") || line.contains(" failed"));
    assertThat(build(1).path("status").asString()).isIn("queued", "running");
    Json.Response cancel =
        Json.post(tenancy.owner.jwt(), baseUrl() + buildPath(1) + "/cancel", null);
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
  }

  @Test
  void aPusherWhoLeavesIsLetGo(CapturedOutput output) throws Exception {
    Path repo =
        git.newRepository(
            work.resolve("ticker"),
            Map.of(
                "Containerfile",
                "FROM "
                    + STATIC_BASE_IMAGE
                    + "\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"while true; do echo tick;"
                    + " /bin/busybox sleep 1; done\"]\n"));
    Process push = start(repo, "-o", "follow");
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(push.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> read = new ArrayList<>();
      String line;
      while ((line = reader.readLine()) != null && !line.strip().equals("remote: Slipway: tick")) {
        read.add(line); // up to the first relayed line of the running build
      }
      assertThat(line).as("a relayed tick in %s; the build: %s", read, build(1)).isNotNull();
      push.descendants()
          .forEach(ProcessHandle::destroyForcibly); // git-remote-http holds the socket
      push.destroyForcibly();
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(output.getOut())
                    .contains(
                        "Stopped relaying build #1 of "
                            + tenancy.tenant
                            + "/web/site: the pusher went away"));
    assertThat(build(1).path("status").asString()).isEqualTo("running");
    Json.Response cancel =
        Json.post(tenancy.owner.jwt(), baseUrl() + buildPath(1) + "/cancel", null);
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
  }

  private Process start(Path repo, String... options) throws IOException {
    List<String> command = new ArrayList<>(List.of("/usr/bin/git", "push"));
    command.addAll(List.of(options));
    command.add(
        "http://git:" + tenancy.owner.gitToken() + "@127.0.0.1:" + port + tenancy.repositoryPath());
    command.add("main");
    ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile());
    builder.redirectErrorStream(true);
    builder.environment().put("HOME", work.toString());
    builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    builder.environment().put("LC_ALL", "C");
    return builder.start();
  }

  private List<Line> push(Path repo, String... options) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process process = start(repo, options);
    List<Line> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(new Line((System.nanoTime() - start) / 1_000_000, line.strip()));
      }
    }
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(lines.toString()).isZero();
    return lines;
  }

  /** The line the build printed as {@code text}, as relayed to the pusher. */
  private static Line relayed(List<Line> lines, String text) {
    return lines.stream()
        .filter(line -> line.text().equals("remote: Slipway: " + text))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no relayed line with " + text + " in " + lines));
  }

  private static List<String> slipwayLines(List<Line> lines) {
    return lines.stream()
        .map(Line::text)
        .filter(text -> text.startsWith("remote: Slipway: "))
        .toList();
  }

  private tools.jackson.databind.JsonNode build(int number) {
    return Json.get(tenancy.owner.jwt(), baseUrl() + buildPath(number)).json();
  }

  private String buildPath(int number) {
    return "/api/v1/tenants/" + tenancy.tenant + "/projects/web/apps/site/builds/" + number;
  }
}
