package io.slipway.runtime.deploy;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Semaphore;

/**
 * Request bodies read whole into memory by the bridge's own listeners (the activator, the invoker),
 * each within its own bound and all together within a budget in KiB: anyone on the internet can
 * send them, and the services run with small heaps. A body read is {@link Body#close closed} to
 * give its KiB back.
 */
final class HeldBodies {

  private final Semaphore kib;

  HeldBodies(int budgetKib) {
    this.kib = new Semaphore(budgetKib);
  }

  /** Why a body was not read. */
  enum Refusal {
    /** Over the request's own bound: 413. */
    TOO_LARGE,
    /** The budget is spent by other requests held now: 503 or 429 with {@code Retry-After}. */
    BUDGET_SPENT
  }

  /** A body read, or why not; its KiB are given back on {@link #close}. */
  final class Body implements AutoCloseable {
    private final byte[] bytes;
    private final Refusal refusal;
    private final int taken;

    private Body(byte[] bytes, Refusal refusal, int taken) {
      this.bytes = bytes;
      this.refusal = refusal;
      this.taken = taken;
    }

    /** The body, when read; null when refused. */
    byte[] bytes() {
      return bytes;
    }

    /** Why it was not read, or null. */
    Refusal refusal() {
      return refusal;
    }

    @Override
    public void close() {
      kib.release(taken);
    }
  }

  /** Reads the exchange's body, at most {@code max} bytes. */
  Body read(HttpExchange exchange, int max) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    int taken = 0;
    try (InputStream in = exchange.getRequestBody()) {
      byte[] chunk = new byte[1024];
      for (int n = in.readNBytes(chunk, 0, chunk.length);
          n > 0;
          n = in.readNBytes(chunk, 0, chunk.length)) {
        if (read.size() + n > max) {
          return new Body(null, Refusal.TOO_LARGE, taken);
        }
        if (!kib.tryAcquire()) {
          return new Body(null, Refusal.BUDGET_SPENT, taken);
        }
        taken++;
        read.write(chunk, 0, n);
      }
    } catch (IOException | RuntimeException e) {
      kib.release(taken);
      throw e;
    }
    return new Body(read.toByteArray(), null, taken);
  }
}
