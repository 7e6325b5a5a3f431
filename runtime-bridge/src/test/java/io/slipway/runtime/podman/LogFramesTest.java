package io.slipway.runtime.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogFramesTest {

  @Test
  void readsThePayloadsOfBothStreamsInOrder() throws IOException {
    byte[] frames = concat(frame(1, "out one\n"), frame(2, "err\n"), frame(1, ""), frame(1, "two"));
    assertThat(new String(new LogFrames(new ByteArrayInputStream(frames)).readAllBytes()))
        .isEqualTo("out one\nerr\ntwo");
  }

  @Test
  void aFrameCutShortIsAnError() {
    byte[] frames = frame(1, "complete line\n");
    byte[] cut = java.util.Arrays.copyOf(frames, frames.length - 3);
    assertThatThrownBy(() -> new LogFrames(new ByteArrayInputStream(cut)).readAllBytes())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("inside a frame");
  }

  private static byte[] frame(int stream, String payload) {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    int n = bytes.length;
    return concat(
        new byte[] {
          (byte) stream, 0, 0, 0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n
        },
        bytes);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
