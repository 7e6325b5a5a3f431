package io.slipway.runtime.podman;

import java.io.IOException;
import java.io.InputStream;

/**
 * A container's output as podman's API sends it (a container without a terminal): frames of an
 * 8-byte header (stream, three zero bytes, payload length big-endian) and the payload. Reads the
 * payloads, stdout and stderr interleaved as they were written.
 */
final class LogFrames extends InputStream {

  private final InputStream frames;
  private int left;

  LogFrames(InputStream frames) {
    this.frames = frames;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (left == 0) {
      byte[] header = frames.readNBytes(8);
      if (header.length == 0) {
        return -1;
      }
      if (header.length < 8) {
        throw new IOException("podman's log stream ended inside a frame header");
      }
      left =
          (header[4] & 0xff) << 24
              | (header[5] & 0xff) << 16
              | (header[6] & 0xff) << 8
              | header[7] & 0xff;
    }
    int read = frames.read(buffer, offset, Math.min(length, left));
    if (read < 0) {
      throw new IOException("podman's log stream ended inside a frame");
    }
    left -= read;
    return read;
  }

  @Override
  public void close() throws IOException {
    frames.close();
  }
}
