package io.slipway.build.git;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * A push's HTTP response that remembers whether writing to it ever failed, i.e. whether the pusher
 * went away. JGit swallows the write errors of the messages a hook sends, so a hook that holds the
 * push open (following a build) asks this instead.
 */
final class WatchedResponse extends HttpServletResponseWrapper {

  private volatile boolean clientGone;
  private ServletOutputStream out;

  WatchedResponse(HttpServletResponse response) {
    super(response);
  }

  /** Whether a write or flush to the client has failed. */
  boolean clientGone() {
    return clientGone;
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (out == null) {
      out = new Watched(super.getOutputStream());
    }
    return out;
  }

  private final class Watched extends ServletOutputStream {
    private final ServletOutputStream delegate;

    Watched(ServletOutputStream delegate) {
      this.delegate = delegate;
    }

    @Override
    public void write(int b) throws IOException {
      watch(() -> delegate.write(b));
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      watch(() -> delegate.write(b, off, len));
    }

    @Override
    public void flush() throws IOException {
      watch(delegate::flush);
    }

    @Override
    public void close() throws IOException {
      watch(delegate::close);
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      delegate.setWriteListener(listener);
    }

    private void watch(Write write) throws IOException {
      try {
        write.run();
      } catch (IOException e) {
        clientGone = true;
        throw e;
      }
    }
  }

  private interface Write {
    void run() throws IOException;
  }
}
