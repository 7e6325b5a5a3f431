package io.slipway.runtime.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One console connection shared by its sessions, against a unix socket standing in for QEMU's
 * chardev: joining sessions see the log's tail, every session sees the output, only a session that
 * may type reaches the guest, and the connection closes with its last session or with QEMU.
 */
class VmConsoleTest {

  @TempDir Path dir;
  private ServerSocketChannel qemu;
  private SocketChannel guest;
  private final AtomicInteger closed = new AtomicInteger();

  @BeforeEach
  void listen() throws Exception {
    qemu = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    qemu.bind(UnixDomainSocketAddress.of(dir.resolve("console.sock")));
  }

  @AfterEach
  void close() throws Exception {
    if (guest != null) {
      guest.close();
    }
    qemu.close();
  }

  @Test
  void sessionsShareOneConnectionAndOnlyATypingSessionReachesTheGuest() throws Exception {
    Files.writeString(dir.resolve("console.log"), "SLIPWAY-VM-READY uptime=4.1s\r\nbox login: ");
    VmConsole console = connect();
    Screen developer = new Screen();
    Screen viewer = new Screen();
    VmConsole.Session typing = console.attach(developer, true).orElseThrow();
    VmConsole.Session watching = console.attach(viewer, false).orElseThrow();
    // the screen they join on: the log's tail
    assertThat(developer.text()).isEqualTo("SLIPWAY-VM-READY uptime=4.1s\r\nbox login: ");
    assertThat(viewer.text()).isEqualTo(developer.text());

    assertThat(watching.type("no".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(typing.type("p".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(read(1)).isEqualTo("p");
    write("p");
    await().atMost(Duration.ofSeconds(5)).until(() -> viewer.text().endsWith("login: p"));
    assertThat(developer.text()).endsWith("login: p");

    // a session that joins later sees what came through the socket too
    Screen late = new Screen();
    console.attach(late, false).orElseThrow().close();
    assertThat(late.text()).endsWith("box login: p");

    watching.close();
    assertThat(closed).hasValue(0);
    typing.close();
    assertThat(closed).hasValue(1);
    assertThat(console.attach(new Screen(), true)).isEmpty();
  }

  @Test
  void whenQemuClosesTheConsoleEverySessionIsTold() throws Exception {
    VmConsole console = connect();
    Screen one = new Screen();
    Screen two = new Screen();
    console.attach(one, true).orElseThrow();
    console.attach(two, false).orElseThrow();
    guest.close();
    assertThat(one.ended.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(two.ended.await(5, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(closed).hasValue(1));
    assertThat(console.attach(new Screen(), true)).isEmpty();
  }

  @Test
  void theHistoryIsTheLogsTailFromItsFirstWholeLine() throws Exception {
    Path log = dir.resolve("long.log");
    String line = "x".repeat(99) + "\n";
    Files.writeString(log, "é".repeat(10) + line.repeat(200));
    byte[] tail = VmConsole.tail(log);
    assertThat(tail.length).isLessThanOrEqualTo(VmConsole.HISTORY_BYTES);
    assertThat(new String(tail, StandardCharsets.UTF_8)).startsWith("xxx").endsWith("x\n");
    assertThat(tail.length % line.length()).isZero();
    assertThat(VmConsole.tail(dir.resolve("none.log"))).isEmpty();
  }

  private VmConsole connect() throws Exception {
    Thread accept =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    guest = qemu.accept();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    VmConsole console =
        VmConsole.connect(
            dir.resolve("console.sock"), dir.resolve("console.log"), c -> closed.incrementAndGet());
    accept.join(5000);
    assertThat(guest).as("the console connected").isNotNull();
    return console;
  }

  private void write(String text) throws Exception {
    guest.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  private String read(int bytes) throws Exception {
    ByteBuffer buffer = ByteBuffer.allocate(bytes);
    while (buffer.hasRemaining()) {
      guest.read(buffer);
    }
    return new String(buffer.array(), StandardCharsets.UTF_8);
  }

  /** What one session was shown. */
  private static final class Screen implements VmConsole.Listener {

    private final ByteArrayOutputStream shown = new ByteArrayOutputStream();
    private final CountDownLatch ended = new CountDownLatch(1);

    @Override
    public synchronized void output(byte[] bytes) {
      shown.writeBytes(bytes);
    }

    @Override
    public void ended() {
      ended.countDown();
    }

    synchronized String text() {
      return shown.toString(StandardCharsets.UTF_8);
    }
  }
}
