package io.slipway.build.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class PushSizeLimitTest {

  @Test
  void aBodyUpToTheLimitIsReadWhole() throws IOException {
    InputStream in = limited(new byte[100], 100);

    assertThat(in.readAllBytes()).hasSize(100);
  }

  @Test
  void oneByteMoreIsRefusedInWordsEvenWhenTheNextBytesHaveNotArrivedYet() throws IOException {
    // available() is 0 at the limit: JGit's own limit takes that for the end of the pack
    InputStream in = limited(new byte[101], 100);

    assertThat(in.readNBytes(100)).hasSize(100);
    assertThatThrownBy(in::read)
        .isInstanceOf(IOException.class)
        .hasMessage(
            "push exceeds the limit of 100 bytes; push fewer or smaller files (large binaries"
                + " belong outside the repository)");
  }

  @Test
  void aReadAcrossTheLimitStopsAtItThenRefuses() throws IOException {
    InputStream in = limited(new byte[5000], 1000);
    byte[] buffer = new byte[4096];

    assertThat(in.read(buffer, 0, buffer.length)).isEqualTo(1000);
    assertThatThrownBy(() -> in.read(buffer, 0, buffer.length))
        .hasMessageStartingWith("push exceeds the limit of 1,000 bytes");
  }

  /** A request whose body arrives as a network stream may: nothing ever said to be available. */
  private static InputStream limited(byte[] body, long limit) throws IOException {
    ByteArrayInputStream bytes = new ByteArrayInputStream(body);
    ServletInputStream slow =
        new ServletInputStream() {
          @Override
          public int read() {
            return bytes.read();
          }

          @Override
          public int read(byte[] b, int off, int len) {
            return bytes.read(b, off, len);
          }

          @Override
          public int available() {
            return 0;
          }

          @Override
          public boolean isFinished() {
            return bytes.available() == 0;
          }

          @Override
          public boolean isReady() {
            return true;
          }

          @Override
          public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException();
          }
        };
    HttpServletRequestWrapper request =
        new HttpServletRequestWrapper(new MockHttpServletRequest()) {
          @Override
          public ServletInputStream getInputStream() {
            return slow;
          }
        };
    return new PushSizeLimit(request, limit).getInputStream();
  }
}
