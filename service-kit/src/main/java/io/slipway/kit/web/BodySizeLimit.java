package io.slipway.kit.web;

import io.slipway.kit.problem.BodyTooLarge;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over {@code slipway.http.max-body-size} with 413 before they are read into
 * memory: at once when the declared length is over, and as soon as a body without a length
 * (chunked) passes the limit while it is read (then {@link BodyTooLarge} reaches the problem
 * handler). Each service declares it as a bean with its {@code slipway.http.max-body-size}; it runs
 * before every other filter.
 */
public final class BodySizeLimit extends OncePerRequestFilter implements Ordered {

  private final long max;
  private final List<String> exempt;

  /**
   * @param max the largest body accepted
   * @param exempt path prefixes whose bodies are bounded elsewhere (a git push, an upload)
   */
  public BodySizeLimit(DataSize max, List<String> exempt) {
    this.max = max.toBytes();
    this.exempt = List.copyOf(exempt);
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return exempt.stream().anyMatch(request.getRequestURI()::startsWith);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > max) {
      ProblemResponses.write(response, 413, "body-too-large", BodyTooLarge.detail(max));
      return;
    }
    chain.doFilter(new Limited(request, max), response);
  }

  private static final class Limited extends HttpServletRequestWrapper {
    private final long max;
    private ServletInputStream stream;

    Limited(HttpServletRequest request, long max) {
      super(request);
      this.max = max;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new Counting(super.getInputStream(), max);
      }
      return stream;
    }
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream in;
    private final long max;
    private long read;

    Counting(ServletInputStream in, long max) {
      this.in = in;
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws BodyTooLarge {
      read += n;
      if (read > max) {
        throw new BodyTooLarge(max);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
