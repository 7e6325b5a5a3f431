package io.slipway.build.process;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a build's output, as it arrives in chunks, into lines for a sink. The output is the
 * tenant's: a line longer than {@link #MAX_LINE} bytes is handed over in pieces of that size, so
 * output without a newline cannot grow this service's memory without bound.
 */
public final class LineSplitter {

  /** The longest line handed over whole, in bytes. */
  public static final int MAX_LINE = 64 * 1024;

  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final Consumer<String> sink;

  public LineSplitter(Consumer<String> sink) {
    this.sink = sink;
  }

  /** Takes the next {@code length} bytes of output. */
  public void accept(byte[] buffer, int length) {
    for (int i = 0; i < length; i++) {
      if (buffer[i] == '\n') {
        flush();
      } else {
        line.write(buffer[i]);
        if (line.size() >= MAX_LINE) {
          flush();
        }
      }
    }
  }

  /** The output has ended: hands over what is left after the last newline, if anything. */
  public void finish() {
    if (line.size() > 0) {
      flush();
    }
  }

  private void flush() {
    sink.accept(line.toString(StandardCharsets.UTF_8));
    line.reset();
  }
}
