package io.slipway.build.sandbox;

import io.slipway.build.process.CommandRunner;
import io.slipway.build.process.LineSplitter;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * A build run in a warm builder through its control socket ({@code config/builder/slipway-serve}):
 * the request is a random token, then the build's {@code slipway-build} arguments, one per line,
 * ended by an empty line; the answer is the build's output, then a last line {@code slipway-exit
 * <token> <status>}: output of the build's own cannot pass for it. No process starts on the host,
 * where {@code podman exec} costs a podman process, its database and conmon.
 *
 * <p>The socket lies in a directory the sandbox's root may write, so what answers on it is checked
 * before anything is sent: it must run as the tenant's root ({@code uidBase} on the host, by the
 * kernel's peer credentials). A socket replaced by a link to a host service's, or to another
 * tenant's builder's, answers as another user and is refused.
 */
final class BuilderSocket {

  /** The socket's name in a builder's control directory. */
  static final String NAME = "build.sock";

  private static final Duration CHECK = Duration.ofMillis(250);

  /** The longest path a unix socket's address holds on Linux (sun_path, less its NUL). */
  private static final int MAX_PATH = 107;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The builder answered as someone else, or not at all: the build did not start. */
  static final class NotAnsweringException extends IOException {
    private static final long serialVersionUID = 1L;

    NotAnsweringException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private BuilderSocket() {}

  /**
   * Runs one build and returns how it ended, like {@link CommandRunner}: -1 when it was stopped
   * (the deadline passed or {@code cancelled} said so; the caller then removes the builder, which
   * stops what runs in it) or the connection ended without an exit status.
   *
   * @param socket the builder's control socket on the host
   * @param uidBase the tenant's root on the host, the only user that may answer
   * @param request the {@code slipway-build} arguments, none empty and none with a line break
   * @param connectFor how long the socket may take to appear (a builder started just now)
   * @throws NotAnsweringException when no builder of the tenant answered within {@code connectFor}
   *     (nothing was sent)
   */
  static CommandRunner.Outcome run(
      Path socket,
      long uidBase,
      List<String> request,
      Duration connectFor,
      Duration timeout,
      Consumer<String> lines,
      BooleanSupplier cancelled)
      throws IOException, InterruptedException {
    byte[] token = new byte[16];
    RANDOM.nextBytes(token);
    String exit = "slipway-exit " + HexFormat.of().formatHex(token) + " ";
    byte[] message = encode(HexFormat.of().formatHex(token), request);
    try (SocketChannel channel = connect(socket, uidBase, connectFor)) {
      ByteBuffer out = ByteBuffer.wrap(message);
      while (out.hasRemaining()) {
        channel.write(out);
      }
      Answer answer = new Answer(lines, exit);
      CountDownLatch done = new CountDownLatch(1);
      Thread reader =
          Thread.ofVirtual()
              .start(
                  () -> {
                    answer.read(channel);
                    done.countDown();
                  });
      Instant deadline = Instant.now().plus(timeout);
      boolean timedOut = false;
      boolean stopped = false;
      while (!done.await(CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
        timedOut = Instant.now().isAfter(deadline);
        stopped = timedOut || cancelled.getAsBoolean();
        if (stopped) {
          break;
        }
      }
      channel.close();
      reader.join(Duration.ofSeconds(5));
      return new CommandRunner.Outcome(
          stopped ? -1 : answer.exitCode(), timedOut, stopped && !timedOut);
    }
  }

  /** The request's bytes; refuses an argument that would break the one-per-line framing. */
  static byte[] encode(String token, List<String> request) {
    StringBuilder text = new StringBuilder(token).append('\n');
    for (String argument : request) {
      if (argument.isEmpty() || argument.indexOf('\n') >= 0 || argument.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("a build argument cannot be sent: " + argument);
      }
      text.append(argument).append('\n');
    }
    return text.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static SocketChannel connect(Path socket, long uidBase, Duration connectFor)
      throws IOException, InterruptedException {
    UserPrincipal tenantRoot =
        FileSystems.getDefault()
            .getUserPrincipalLookupService()
            // a number the host has no user name for is taken as the uid; one past 2^31 as the
            // int the kernel's 32 bits make
            .lookupPrincipalByName(Integer.toString((int) uidBase));
    if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH) {
      throw new NotAnsweringException(
          "the builder's socket path is longer than a unix socket's address may be: " + socket,
          null);
    }
    Instant until = Instant.now().plus(connectFor);
    while (true) {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
        UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        if (!peer.user().equals(tenantRoot)) {
          throw new NotAnsweringException(
              "the builder's socket is answered by "
                  + peer.user().getName()
                  + ", not the tenant's"
                  + " root "
                  + uidBase,
              null);
        }
        return channel;
      } catch (NotAnsweringException e) {
        channel.close();
        throw e;
      } catch (IOException e) {
        channel.close();
        if (Instant.now().isAfter(until)) {
          throw new NotAnsweringException("the builder's socket did not answer", e);
        }
        Thread.sleep(10);
      }
    }
  }

  /** The build's output as it comes, and its exit status once its last line has come. */
  private static final class Answer {
    private final Consumer<String> sink;
    private final String exit;
    private int exitCode = -1;

    /**
     * @param exit how the last line begins, the request's token in it
     */
    Answer(Consumer<String> sink, String exit) {
      this.sink = sink;
      this.exit = exit;
    }

    void read(SocketChannel channel) {
      LineSplitter splitter = new LineSplitter(this::line);
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      try {
        while (channel.read(buffer) >= 0) {
          splitter.accept(buffer.array(), buffer.position());
          buffer.clear();
        }
      } catch (IOException e) {
        // closed: stopped, or the builder went away; without an exit status the build failed
      }
      splitter.finish();
    }

    /** The last line is the exit status, after what the build printed without a line break. */
    private void line(String line) {
      int at = line.indexOf(exit);
      String status = at < 0 ? "" : line.substring(at + exit.length());
      if (at < 0 || !status.matches("[0-9]{1,3}")) {
        sink.accept(line);
        return;
      }
      if (at > 0) {
        sink.accept(line.substring(0, at));
      }
      exitCode = Integer.parseInt(status);
    }

    int exitCode() {
      return exitCode;
    }
  }
}
