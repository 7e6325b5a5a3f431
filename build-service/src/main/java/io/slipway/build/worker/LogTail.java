package io.slipway.build.worker;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/** Passes a build's log lines on, keeping the last few for the failure's reason. */
final class LogTail implements Consumer<String> {

  static final int KEPT = 8;

  private final Consumer<String> next;
  private final Deque<String> last = new ArrayDeque<>();

  LogTail(Consumer<String> next) {
    this.next = next;
  }

  @Override
  public synchronized void accept(String line) {
    next.accept(line);
    if (last.size() == KEPT) {
      last.removeFirst();
    }
    last.addLast(line);
  }

  synchronized List<String> lines() {
    return List.copyOf(last);
  }
}
