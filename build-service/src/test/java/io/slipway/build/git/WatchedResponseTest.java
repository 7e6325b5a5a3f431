package io.slipway.build.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

/** A push's response tells the hook when the pusher went away: a write to it failed. */
class WatchedResponseTest {

  @Test
  void writesPassThroughAndTheClientIsThere() throws IOException {
    MockHttpServletResponse response = new MockHttpServletResponse();
    WatchedResponse watched = new WatchedResponse(response);

    watched.getOutputStream().write("hello".getBytes());
    watched.getOutputStream().flush();

    assertThat(response.getContentAsString()).isEqualTo("hello");
    assertThat(watched.clientGone()).isFalse();
  }

  @Test
  void aFailedFlushMeansTheClientIsGone() throws IOException {
    WatchedResponse watched = new WatchedResponse(new Disconnected());
    watched.getOutputStream().write('x');
    assertThat(watched.clientGone()).isFalse();

    assertThatThrownBy(() -> watched.getOutputStream().flush())
        .isInstanceOf(IOException.class)
        .hasMessage("Broken pipe");
    assertThat(watched.clientGone()).isTrue();
  }

  /** A response whose client hung up: its stream accepts bytes but cannot send them. */
  private static final class Disconnected extends HttpServletResponseWrapper {
    Disconnected() {
      super(new MockHttpServletResponse());
    }

    @Override
    public ServletOutputStream getOutputStream() {
      return new ServletOutputStream() {
        @Override
        public void write(int b) {}

        @Override
        public void flush() throws IOException {
          throw new IOException("Broken pipe");
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {}
      };
    }
  }
}
