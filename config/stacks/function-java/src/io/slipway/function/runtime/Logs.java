package io.slipway.function.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of one run's output, within the caps (1,000 lines, 64 KiB), then one line saying how
 * many more there were. {@link #tee} makes System.out and System.err write through to the
 * container's output and into the running run's logs.
 */
final class Logs {

  private static final int MAX_LINES = 1000;
  private static final int MAX_BYTES = 64 * 1024;

  /** The logs of the run in progress, if any: what System.out and System.err also write to. */
  static volatile Logs current;

  private final List<String> lines = new ArrayList<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private int bytes;
  private int dropped;

  synchronized void add(byte[] data, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (data[i] == '\n') {
        keep(partial.toString(StandardCharsets.UTF_8));
        partial.reset();
      } else {
        partial.write(data[i]);
      }
    }
  }

  private void keep(String line) {
    int size = line.getBytes(StandardCharsets.UTF_8).length;
    if (dropped == 0 && lines.size() < MAX_LINES && bytes + size <= MAX_BYTES) {
      lines.add(line);
      bytes += size;
    } else {
      dropped++;
    }
  }

  synchronized List<String> end() {
    if (partial.size() > 0) {
      keep(partial.toString(StandardCharsets.UTF_8));
      partial.reset();
    }
    List<String> kept = new ArrayList<>(lines);
    if (dropped > 0) {
      kept.add("\u2026 " + dropped + " more lines not kept");
    }
    return kept;
  }

  /** {@code stream}, also writing into the logs of the run in progress. */
  static OutputStream tee(OutputStream stream) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] data, int offset, int length) throws IOException {
        Logs logs = current;
        if (logs != null) {
          logs.add(data, offset, length);
        }
        stream.write(data, offset, length);
      }

      @Override
      public void flush() throws IOException {
        stream.flush();
      }
    };
  }
}
