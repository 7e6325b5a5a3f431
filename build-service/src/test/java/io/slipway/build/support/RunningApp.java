package io.slipway.build.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A built image run by podman the way runtime-bridge runs apps (read-only root, no capabilities, no
 * privilege escalation, uid 65534, 256 MiB), its port 8080 published on the loopback. {@link
 * #close()} removes the container.
 */
public final class RunningApp implements AutoCloseable {

  private final String container =
      "slipway-build-test-" + UUID.randomUUID().toString().substring(0, 8);
  private final int hostPort = Commands.freePort();
  private final HttpClient http = HttpClient.newHttpClient();

  public RunningApp(String image) {
    Commands.ok(
        "podman",
        "run",
        "-d",
        "--name",
        container,
        "--read-only",
        "--cap-drop=all",
        "--security-opt",
        "no-new-privileges",
        "--user",
        "65534:65534",
        "--memory=256m",
        "-p",
        "127.0.0.1:" + hostPort + ":8080",
        image);
  }

  /** The URL of {@code path} (e.g. {@code /healthz}) on the app's published port. */
  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + hostPort + path);
  }

  /** The container's name, for podman. */
  public String container() {
    return container;
  }

  /** The body of the app's answer to {@code GET /}, once it answers 200 (within 30 s). */
  public String page() {
    try {
      return awaitPage();
    } catch (ConditionTimeoutException e) {
      // what the app printed says why it never answered (it exited, it listens elsewhere)
      throw new AssertionError(
          "the app never answered; podman says it is "
              + Commands.run("podman", "inspect", "--format", "{{.State.Status}}", container)
                  .output()
              + ", its output:\n"
              + Commands.run("podman", "logs", container).output(),
          e);
    }
  }

  private String awaitPage() {
    AtomicReference<String> body = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              HttpResponse<String> response =
                  http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/"))
                          .timeout(Duration.ofSeconds(5))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              assertThat(response.statusCode()).isEqualTo(200);
              body.set(response.body());
            });
    return body.get();
  }

  @Override
  public void close() {
    Commands.run("podman", "rm", "-f", "-t", "0", container);
  }
}
