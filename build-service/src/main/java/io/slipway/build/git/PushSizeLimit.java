package io.slipway.build.git;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.text.NumberFormat;
import java.util.Locale;

/**
 * A push's request whose body may not exceed the push size limit: reading past it fails with a
 * message git shows the pusher ("remote unpack failed: error push exceeds …"). JGit's own pack
 * limit ends the stream instead whenever the next bytes have not arrived yet, and the pusher then
 * reads "Packfile is truncated"; this limit waits for the next byte, so the answer does not depend
 * on timing. JGit's limit stays behind it for a body git compressed.
 */
final class PushSizeLimit extends HttpServletRequestWrapper {

  private final long limit;
  private ServletInputStream in;

  PushSizeLimit(HttpServletRequest request, long limit) {
    super(request);
    this.limit = limit;
  }

  /** What the pusher is told; the pack size in bytes, as JGit words its own limit. */
  static String message(long limit) {
    return "push exceeds the limit of "
        + NumberFormat.getIntegerInstance(Locale.ROOT).format(limit)
        + " bytes; push fewer or smaller files (large binaries belong outside the repository)";
  }

  @Override
  public ServletInputStream getInputStream() throws IOException {
    if (in == null) {
      in = new Limited(super.getInputStream(), limit);
    }
    return in;
  }

  private static final class Limited extends ServletInputStream {
    private final ServletInputStream delegate;
    private final long limit;
    private long left;

    Limited(ServletInputStream delegate, long limit) {
      this.delegate = delegate;
      this.limit = limit;
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left == 0) {
        return refuseIfMore();
      }
      int b = delegate.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (left == 0) {
        return refuseIfMore();
      }
      int n = delegate.read(buffer, offset, (int) Math.min(length, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    /** At the limit: the end of the body is fine, one more byte is not (a blocking read). */
    private int refuseIfMore() throws IOException {
      if (delegate.read() < 0) {
        return -1;
      }
      throw new IOException(message(limit));
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(delegate.available(), left);
    }

    @Override
    public boolean isFinished() {
      return delegate.isFinished();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      delegate.setReadListener(listener);
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }
}
