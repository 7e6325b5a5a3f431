package io.slipway.runtime.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.runtime.podman.PodmanApi.PodmanApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PodmanApiTest {

  @Test
  void directoriesOfServicesLongGoneAreSweptAndALiveOneIsKept() throws Exception {
    Path tmp = Files.createTempDirectory("sweep-");
    Path old = Files.createDirectory(tmp.resolve("slipway-podman-old"));
    Path fresh = Files.createDirectory(tmp.resolve("slipway-podman-fresh"));
    Path live = Files.createDirectory(tmp.resolve("slipway-podman-live"));
    Files.createFile(live.resolve("podman.sock"));
    Path other = Files.createDirectory(tmp.resolve("someone-else"));
    long hourAgo = System.currentTimeMillis() - 3_600_000;
    for (Path dir : List.of(old, live, other)) {
      dir.toFile().setLastModified(hourAgo);
    }

    PodmanApi.sweepAbandoned(tmp);

    assertThat(old).doesNotExist();
    assertThat(fresh).exists();
    assertThat(live).exists();
    assertThat(other).exists();
  }

  @Test
  void aCallSendsTheVersionedPathAndReadsTheWholeAnswer() throws Exception {
    try (FakePodman podman = new FakePodman("HTTP/1.0 200 OK\r\nX-A: b\r\n\r\n{\"Id\":\"c1\"}")) {
      PodmanApi.Response response =
          PodmanApi.at(podman.socket, Duration.ofSeconds(5)).post("/containers/create", "{}");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().path("Id").asString()).isEqualTo("c1");
      String request = podman.requests.poll(5, TimeUnit.SECONDS);
      assertThat(request)
          .startsWith("POST /v4.0.0/libpod/containers/create HTTP/1.0\r\n")
          .contains("Host: podman\r\n", "Content-Type: application/json\r\n")
          .contains("Content-Length: 4\r\n")
          .endsWith("\r\n\r\n\"{}\"");
    }
  }

  @Test
  void aCallPodmanDoesNotAnswerInTimeFailsNamingTheCallAndTheTimeout() throws Exception {
    try (FakePodman podman = new FakePodman((String) null)) {
      PodmanApi api = PodmanApi.at(podman.socket, Duration.ofMillis(300));

      assertThatThrownBy(() -> api.get("/containers/json"))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("podman GET /containers/json timed out after PT0.3S")
          .satisfies(
              e -> assertThat(e.getCause().getCause()).isInstanceOf(HttpTimeoutException.class));
    }
  }

  @Test
  void aRefusedStreamIsAnExceptionWithPodmansReasonAndAnAcceptedOneStreamsTheBody()
      throws Exception {
    try (FakePodman podman =
        new FakePodman("HTTP/1.0 404 Not Found\r\n\r\n{\"message\":\"no such container\"}")) {
      PodmanApi api = PodmanApi.at(podman.socket, Duration.ofSeconds(5));

      assertThatThrownBy(() -> api.open("/containers/x/logs?follow=true"))
          .isInstanceOfSatisfying(
              PodmanApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(404);
                assertThat(e.reason()).isEqualTo("no such container");
                assertThat(e)
                    .hasMessage("podman GET /containers/x/logs answered 404: no such container");
              });
    }
    try (FakePodman podman = new FakePodman("HTTP/1.0 200 OK\r\n\r\nline one\nline two\n")) {
      try (InputStream body =
          PodmanApi.at(podman.socket, Duration.ofSeconds(5)).open("/containers/x/logs")) {
        assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo("line one\nline two\n");
      }
    }
  }

  @Test
  void anInspectRacingTheContainersExitIsReadAgainAndOtherFailuresAreNot() throws Exception {
    String exiting =
        "HTTP/1.0 500 Internal Server Error\r\n\r\n"
            + "{\"cause\":\"no such process\",\"message\":\"read /proc/23584/cgroup: no such process\"}";
    String exited = "HTTP/1.0 200 OK\r\n\r\n{\"State\":{\"Status\":\"exited\",\"ExitCode\":137}}";
    try (FakePodman podman = new FakePodman(exiting, exiting, exited)) {
      PodmanApi.Response response =
          PodmanApi.at(podman.socket, Duration.ofSeconds(5)).inspect("/containers/c1/json");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().path("State").path("ExitCode").asInt()).isEqualTo(137);
      assertThat(podman.requests).hasSize(3);
    }
    String broken =
        "HTTP/1.0 500 Internal Server Error\r\n\r\n{\"message\":\"database is locked\"}";
    try (FakePodman podman = new FakePodman(broken, exited)) {
      PodmanApi.Response response =
          PodmanApi.at(podman.socket, Duration.ofSeconds(5)).inspect("/containers/c1/json");

      assertThat(response.status()).isEqualTo(500);
      assertThat(podman.requests).hasSize(1);
    }
    try (FakePodman podman = new FakePodman(exiting)) {
      PodmanApi.Response response =
          PodmanApi.at(podman.socket, Duration.ofSeconds(5)).inspect("/containers/c1/json");

      assertThat(response.status()).isEqualTo(500);
      assertThat(podman.requests).hasSize(4);
    }
  }

  /**
   * A podman socket that answers each connection with the next of {@code answers} (the last one
   * again once they run out) after reading the request head and body, or never answers when that
   * answer is null.
   */
  private static final class FakePodman implements AutoCloseable {
    final Path socket;
    final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    private final ServerSocketChannel server;
    private final Thread thread;

    FakePodman(String... answers) throws IOException {
      socket = Files.createTempDirectory("fake-podman-").resolve("podman.sock");
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      thread =
          Thread.ofVirtual()
              .start(
                  () -> {
                    int served = 0;
                    while (server.isOpen()) {
                      try (SocketChannel client = server.accept()) {
                        requests.add(readHead(Channels.newInputStream(client)));
                        String answer = answers[Math.min(served++, answers.length - 1)];
                        if (answer == null) {
                          Thread.sleep(Duration.ofSeconds(30)); // silent until closed
                        } else {
                          ByteBuffer out = ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8));
                          while (out.hasRemaining()) {
                            client.write(out);
                          }
                        }
                      } catch (IOException | InterruptedException e) {
                        return;
                      }
                    }
                  });
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
      }
      String text = head.toString(StandardCharsets.US_ASCII);
      int length = text.indexOf("Content-Length: ");
      if (length < 0) {
        return text;
      }
      int end = text.indexOf("\r\n", length);
      int size = Integer.parseInt(text.substring(length + "Content-Length: ".length(), end));
      return text + new String(in.readNBytes(size), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
      server.close();
      thread.interrupt();
      thread.join(Duration.ofSeconds(5));
      Files.deleteIfExists(socket);
      Files.deleteIfExists(socket.getParent());
    }
  }
}
