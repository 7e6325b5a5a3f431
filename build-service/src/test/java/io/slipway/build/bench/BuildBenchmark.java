package io.slipway.build.bench;

import static org.awaitility.Awaitility.await;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.GitCli;
import io.slipway.build.support.Json;
import io.slipway.build.support.Tenancy;
import io.slipway.build.support.TenantServiceRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push-to-image of a small static site (busybox httpd) against the raw {@code buildah bud} of the
 * same context measured in the same run, cold ({@code --no-cache}) and warm (layer cache, one file
 * changed per sample).
 *
 * <p>Run with {@code ./slipway bench}. Not a test: it asserts nothing about time.
 */
@Tag("benchmark")
class BuildBenchmark extends BuildServiceTest {

  private static final int SAMPLES = 10;
  private static final String CONTAINERFILE =
      """
      FROM scratch
      COPY busybox /bin/busybox
      COPY www /www
      USER 65534
      CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
      """;

  @TempDir Path work;

  @Test
  void benchmark() throws Exception {
    GitCli git = new GitCli(work);
    Path repo = work.resolve("site");
    Files.createDirectories(repo);
    Files.copy(Path.of("/bin/busybox"), repo.resolve("busybox"));
    git.newRepository(repo, Map.of("Containerfile", CONTAINERFILE, "www/index.html", "<h1>0</h1>"));
    String rawImage = IMAGE_PREFIX + "/bench-raw:latest";
    List<String> images = new ArrayList<>(List.of(rawImage));
    try {
      double[] rawCold = new double[SAMPLES];
      double[] rawWarm = new double[SAMPLES];
      for (int i = 0; i < SAMPLES; i++) {
        Files.writeString(repo.resolve("www/index.html"), "<h1>raw " + i + "</h1>");
        rawCold[i] =
            time(
                "buildah",
                "bud",
                "-q",
                "--no-cache",
                "--layers",
                "--network=none",
                "-t",
                rawImage,
                repo.toString());
        Files.writeString(repo.resolve("www/index.html"), "<h1>raw warm " + i + "</h1>");
        rawWarm[i] =
            time(
                "buildah",
                "bud",
                "-q",
                "--layers",
                "--network=none",
                "-t",
                rawImage,
                repo.toString());
      }
      git.ok(repo, "checkout", "--", ".");

      Tenancy tenancy = new Tenancy(TenantServiceRunner.url());
      String url =
          "http://git:"
              + tenancy.owner.gitToken()
              + "@127.0.0.1:"
              + port
              + tenancy.repositoryPath();
      double[] platform = new double[SAMPLES + 1];
      for (int i = 0; i <= SAMPLES; i++) {
        Files.writeString(repo.resolve("www/index.html"), "<h1>push " + i + "</h1>");
        git.ok(repo, "commit", "-q", "-am", "change " + i);
        images.add(
            IMAGE_PREFIX + "/" + tenancy.tenant + "/web/site:" + git.ok(repo, "rev-parse", "HEAD"));
        long start = System.nanoTime();
        git.ok(repo, "push", "-q", url, "main");
        String build =
            baseUrl()
                + "/api/v1/tenants/"
                + tenancy.tenant
                + "/projects/web/apps/site/builds/"
                + (i + 1);
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () ->
                    !"queued running"
                        .contains(
                            Json.get(tenancy.owner.jwt(), build).json().path("status").asString()));
        platform[i] = (System.nanoTime() - start) / 1e6;
      }
      // the first push also creates the repository and builds cold: report it apart
      double first = platform[0];
      double[] warm = Arrays.copyOfRange(platform, 1, platform.length);

      System.out.println();
      System.out.println("build-service benchmark (ms)               p50      p95");
      row("raw buildah bud, cold (--no-cache)", rawCold);
      row("raw buildah bud, warm (one file changed)", rawWarm);
      row("git push to image, warm (one file changed)", warm);
      System.out.printf("%-42s %8.0f%n", "git push to image, first push (cold)", first);
      System.out.printf(
          "platform overhead at p50 (warm push - warm raw): %.0f ms%n",
          percentile(warm, 50) - percentile(rawWarm, 50));
    } finally {
      for (String image : images) {
        new ProcessBuilder("buildah", "rmi", "-f", image)
            .redirectErrorStream(true)
            .start()
            .waitFor();
      }
    }
  }

  private static void row(String name, double[] samples) {
    System.out.printf(
        "%-42s %8.0f %8.0f%n", name, percentile(samples, 50), percentile(samples, 95));
  }

  private static double percentile(double[] samples, int p) {
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double time(String... command) throws Exception {
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
    return (System.nanoTime() - start) / 1e6;
  }
}
