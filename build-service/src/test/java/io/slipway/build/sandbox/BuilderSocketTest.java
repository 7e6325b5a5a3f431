package io.slipway.build.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.build.process.CommandRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm builder's socket protocol against a server in this JVM playing {@code slipway-serve}
 * (the real one runs in {@code WarmBuildersIT}): the exit status is the line with the request's
 * token, never a line the build printed; a socket answered by anyone but the tenant's root gets
 * nothing; a builder that goes away, or a build past its deadline, ends as stopped.
 */
class BuilderSocketTest {

  @TempDir Path dir;
  private ServerSocketChannel server;
  private final CompletableFuture<String> received = new CompletableFuture<>();

  /** This JVM's user, who answers on the sockets these tests serve. */
  private long thisUser() throws IOException {
    return ((Integer) Files.getAttribute(dir, "unix:uid")).longValue();
  }

  @AfterEach
  void close() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theExitStatusIsTheLineWithTheRequestsTokenNotOneTheBuildPrinted() throws Exception {
    Path socket =
        serve(
            request -> {
              String token = request.lines().findFirst().orElseThrow();
              return "STEP 1/2: RUN echo slipway-exit\nslipway-exit 00000000000000000000000000000000 0\n"
                  + "no newline at the end"
                  + "slipway-exit "
                  + token
                  + " 3\n";
            });
    List<String> lines = new ArrayList<>();

    CommandRunner.Outcome outcome = run(socket, thisUser(), lines, Duration.ofSeconds(30));

    assertThat(outcome).isEqualTo(new CommandRunner.Outcome(3, false, false));
    assertThat(lines)
        .containsExactly(
            "STEP 1/2: RUN echo slipway-exit",
            "slipway-exit 00000000000000000000000000000000 0",
            "no newline at the end");
    // a token, the arguments one per line, an empty line
    assertThat(received.get(10, TimeUnit.SECONDS))
        .matches("[0-9a-f]{32}\nslipway-build\n--\n--layers\n/workspace/b/src\n\n");
  }

  @Test
  void aSocketAnsweredByAnotherUserIsRefusedBeforeAnythingIsSent() throws Exception {
    Path socket = serve(request -> "slipway-exit x 0\n");

    assertThatThrownBy(() -> run(socket, 200_065_536, new ArrayList<>(), Duration.ofSeconds(30)))
        .isInstanceOf(BuilderSocket.NotAnsweringException.class)
        .hasMessageContaining("not the tenant's root 200065536");
    assertThat(received.get(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void aBuilderThatGoesAwayWithoutAnExitStatusFailedTheBuild() throws Exception {
    Path socket = serve(request -> "STEP 1/2: RUN make\n");
    List<String> lines = new ArrayList<>();

    CommandRunner.Outcome outcome = run(socket, thisUser(), lines, Duration.ofSeconds(30));

    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.exitCode()).isEqualTo(-1);
    assertThat(lines).containsExactly("STEP 1/2: RUN make");
  }

  @Test
  void aBuildPastItsDeadlineIsStoppedAndNamedSo() throws Exception {
    Path socket = serve(request -> null);

    CommandRunner.Outcome outcome =
        run(socket, thisUser(), new ArrayList<>(), Duration.ofMillis(300));

    assertThat(outcome).isEqualTo(new CommandRunner.Outcome(-1, true, false));
  }

  @Test
  void noSocketIsABuilderNotAnswering() {
    assertThatThrownBy(
            () ->
                BuilderSocket.run(
                    dir.resolve("none.sock"),
                    thisUser(),
                    List.of("slipway-build"),
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1),
                    line -> {},
                    () -> false))
        .isInstanceOf(BuilderSocket.NotAnsweringException.class);
  }

  @Test
  void aSocketPathLongerThanAUnixAddressIsNamedSo() {
    assertThatThrownBy(
            () ->
                BuilderSocket.run(
                    dir.resolve("d".repeat(120)).resolve("build.sock"),
                    thisUser(),
                    List.of("slipway-build"),
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1),
                    line -> {},
                    () -> false))
        .isInstanceOf(BuilderSocket.NotAnsweringException.class)
        .hasMessageContaining("longer than a unix socket's address may be");
  }

  @Test
  void anArgumentThatWouldBreakTheFramingIsNeverSent() {
    assertThatThrownBy(() -> BuilderSocket.encode("t", List.of("--tag=a\n--file=/etc/passwd")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BuilderSocket.encode("t", List.of("")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private CommandRunner.Outcome run(Path socket, long uid, List<String> lines, Duration timeout)
      throws Exception {
    return BuilderSocket.run(
        socket,
        uid,
        List.of("slipway-build", "--", "--layers", "/workspace/b/src"),
        Duration.ofSeconds(5),
        timeout,
        lines::add,
        () -> false);
  }

  /**
   * Serves one connection: reads the request up to its empty line, then answers what {@code answer}
   * makes of it and closes; a null answer keeps the connection open, silent.
   */
  private Path serve(Function<String, String> answer) throws IOException {
    Path socket = dir.resolve("build.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread.ofVirtual()
        .start(
            () -> {
              try (SocketChannel client = server.accept()) {
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                ByteBuffer buffer = ByteBuffer.allocate(1024);
                while (!request.toString(StandardCharsets.UTF_8).endsWith("\n\n")
                    && client.read(buffer) >= 0) {
                  request.write(buffer.array(), 0, buffer.position());
                  buffer.clear();
                }
                String text = request.toString(StandardCharsets.UTF_8);
                received.complete(text);
                String reply = answer.apply(text);
                if (reply == null) {
                  Thread.sleep(Duration.ofSeconds(30));
                  return;
                }
                client.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
              } catch (IOException | InterruptedException e) {
                received.complete("");
              }
            });
    return socket;
  }
}
