package io.slipway.build.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Passes a build's log lines on, keeping the last few for the failure's reason, and the egress
 * proxy's last refusal: an installer that retries, or explains a refusal its own way (Bundler reads
 * the proxy's 403 as "Authentication is required"), can push that line out of the last few, and it
 * is the one that says why the step failed.
 */
final class LogTail implements Consumer<String> {

  static final int KEPT = 8;

  /** How the egress proxy's refusals start in the build log. */
  static final String REFUSAL = "egress refused: ";

  private final Consumer<String> next;
  private final Deque<String> last = new ArrayDeque<>();
  private String refusal;

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
    if (line.startsWith(REFUSAL)) {
      refusal = line;
    }
  }

  /** The last lines, after the egress proxy's last refusal when that is not among them. */
  synchronized List<String> lines() {
    if (refusal == null || last.contains(refusal)) {
      return List.copyOf(last);
    }
    List<String> lines = new ArrayList<>(List.of(refusal));
    lines.addAll(last);
    return List.copyOf(lines);
  }
}
