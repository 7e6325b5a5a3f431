package io.slipway.runtime.vm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The bridge's one connection to a running VM's serial console (QEMU's unix socket chardev in the
 * VM's volume on podman, KubeVirt's {@code console} subresource on Kubernetes: a {@link Link}),
 * shared by every console session of that VM: what the guest writes goes to each session, what a
 * session that may type sends goes to the guest. QEMU's socket chardev takes one client at a time,
 * which is why sessions share it rather than connect each. The last {@link #HISTORY_BYTES} bytes
 * are kept so that a session that joins sees the screen it joins (the login prompt): seeded from
 * the console log's tail when the connection is made (QEMU writes the log and the socket alike, so
 * a byte written in the instant between reading the log and connecting may show twice), then from
 * what came through the socket.
 */
public final class VmConsole {

  /** How much of the console's latest output a session that joins is shown first. */
  static final int HISTORY_BYTES = 16 * 1024;

  /** What a session hears of its VM's console. Called on the console's reader thread. */
  public interface Listener {

    /** Bytes the guest wrote to its serial console (raw, not necessarily whole UTF-8). */
    void output(byte[] bytes);

    /** QEMU closed the console: the VM stopped. Called once; the session is detached. */
    void ended();
  }

  /**
   * The way bytes go to the guest's serial console. What comes back is fed to the console by the
   * link's owner ({@link #received}, then {@link #ended} once).
   */
  public interface Link {

    /** Sends all of {@code bytes} to the guest; an {@link IOException} when the link is gone. */
    void send(ByteBuffer bytes) throws IOException;

    /** Closes the link. */
    void close() throws IOException;
  }

  /** One session on the console; {@link #close} detaches it. */
  public final class Session implements AutoCloseable {

    private final Listener listener;
    private final boolean mayType;

    private Session(Listener listener, boolean mayType) {
      this.listener = listener;
      this.mayType = mayType;
    }

    /** Whether what this session sends reaches the guest. */
    public boolean mayType() {
      return mayType;
    }

    /**
     * Sends {@code bytes} to the guest's serial console; false (and nothing sent) when this session
     * may only watch or the console is closed.
     */
    public boolean type(byte[] bytes) {
      if (!mayType || !sessions.contains(this)) {
        return false;
      }
      try {
        synchronized (link) {
          link.send(ByteBuffer.wrap(bytes));
        }
        return true;
      } catch (IOException e) {
        // QEMU (or the launcher) is gone: the reader sees the same and ends every session
        return false;
      }
    }

    @Override
    public void close() {
      detach(this);
    }
  }

  private final Link link;
  private final Consumer<VmConsole> onClosed;
  private final Set<Session> sessions = new CopyOnWriteArraySet<>();
  private final AtomicBoolean released = new AtomicBoolean();
  private byte[] history;
  private boolean closed;

  private VmConsole(Link link, byte[] history, Consumer<VmConsole> onClosed) {
    this.link = link;
    this.history = history;
    this.onClosed = onClosed;
  }

  /**
   * Connects to the console socket {@code socket}, with the tail of {@code log} as what joining
   * sessions see first; {@code onClosed} runs once the connection is closed (its last session
   * detached, or QEMU closed it).
   *
   * @throws UncheckedIOException when QEMU does not listen on the socket (it is not running, or
   *     still starting)
   */
  static VmConsole connect(Path socket, Path log, Consumer<VmConsole> onClosed) {
    if (socket.toString().length() > Qmp.MAX_SOCKET_PATH) {
      throw new IllegalStateException(
          "console socket path " + socket + " is longer than a unix socket address may be");
    }
    SocketChannel channel;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to the VM's console socket " + socket, e);
    }
    Link socketLink =
        new Link() {
          @Override
          public void send(ByteBuffer bytes) throws IOException {
            while (bytes.hasRemaining()) {
              channel.write(bytes);
            }
          }

          @Override
          public void close() throws IOException {
            channel.close();
          }
        };
    VmConsole console = new VmConsole(socketLink, tail(log), onClosed);
    Thread.ofVirtual().name("vm-console").start(() -> console.read(channel));
    return console;
  }

  /**
   * A console over {@code link}, with no output kept yet; its owner feeds it what the guest writes
   * ({@link #received}) and that the link ended ({@link #ended}). {@code onClosed} runs once the
   * link is closed.
   */
  public static VmConsole over(Link link, Consumer<VmConsole> onClosed) {
    return new VmConsole(link, new byte[0], onClosed);
  }

  /**
   * Attaches a session: {@code listener} hears the kept output at once, then everything the guest
   * writes; empty when the console has closed meanwhile (the VM stopped).
   */
  public synchronized Optional<Session> attach(Listener listener, boolean mayType) {
    if (closed) {
      return Optional.empty();
    }
    Session session = new Session(listener, mayType);
    if (history.length > 0) {
      listener.output(history.clone());
    }
    sessions.add(session);
    return Optional.of(session);
  }

  private void detach(Session session) {
    boolean last;
    synchronized (this) {
      if (!sessions.remove(session)) {
        return;
      }
      last = sessions.isEmpty();
      if (last) {
        closed = true;
      }
    }
    if (last) {
      close();
    }
  }

  private void read(SocketChannel channel) {
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    try {
      while (channel.read(buffer.clear()) > 0) {
        received(Arrays.copyOf(buffer.array(), buffer.position()));
      }
    } catch (IOException e) {
      // closed by close() or by QEMU exiting: either way the console is over
    }
    ended();
  }

  /** What the guest wrote: kept, and sent to every session. */
  public synchronized void received(byte[] bytes) {
    remember(bytes);
    for (Session session : sessions) {
      session.listener.output(bytes);
    }
  }

  /** The link ended (the VM stopped): every session is told and detached, the link closed. */
  public void ended() {
    Set<Session> ended;
    synchronized (this) {
      closed = true;
      ended = Set.copyOf(sessions);
      sessions.clear();
    }
    ended.forEach(session -> session.listener.ended());
    close();
  }

  private void remember(byte[] bytes) {
    int keep = Math.min(history.length, HISTORY_BYTES - Math.min(bytes.length, HISTORY_BYTES));
    byte[] kept = new byte[keep + Math.min(bytes.length, HISTORY_BYTES)];
    System.arraycopy(history, history.length - keep, kept, 0, keep);
    System.arraycopy(bytes, bytes.length - (kept.length - keep), kept, keep, kept.length - keep);
    history = kept;
  }

  /** Closes the connection once, whichever of its last session and QEMU ends it first. */
  private void close() {
    if (!released.compareAndSet(false, true)) {
      return;
    }
    try {
      link.close();
    } catch (IOException e) {
      // nothing to do: it is gone either way
    }
    onClosed.accept(this);
  }

  /**
   * The console log's last {@link #HISTORY_BYTES}, from the first line that starts within them (a
   * line cut in half could start inside an escape sequence or a UTF-8 character); empty without a
   * log.
   */
  static byte[] tail(Path log) {
    try (SeekableByteChannel file = Files.newByteChannel(log)) {
      long from = Math.max(0, file.size() - HISTORY_BYTES);
      file.position(from);
      ByteBuffer buffer = ByteBuffer.allocate((int) (file.size() - from));
      while (buffer.hasRemaining() && file.read(buffer) > 0) {
        // reads until the buffer is full or the file ends
      }
      byte[] bytes = Arrays.copyOf(buffer.array(), buffer.position());
      if (from == 0) {
        return bytes;
      }
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          return Arrays.copyOfRange(bytes, i + 1, bytes.length);
        }
      }
      return new byte[0];
    } catch (NoSuchFileException e) {
      return new byte[0];
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the VM's console log " + log, e);
    }
  }
}
