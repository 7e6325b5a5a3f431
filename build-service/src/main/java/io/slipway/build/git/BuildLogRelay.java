package io.slipway.build.git;

import io.slipway.build.queue.AppRef;
import io.slipway.build.queue.Build;
import io.slipway.build.queue.BuildQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.transport.ReceivePack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a push open while its build and then its deploy run and relays the build's log to the
 * pusher, line by line, then says how the push ended: the live URL, or why it failed. It lets go
 * when the build ends, when the pusher goes away, or after {@code limit}, whichever comes first;
 * the build and deploy themselves go on regardless.
 *
 * <p>Each batch of lines is flushed: JGit's receive-pack servlet then streams the response (it
 * buffers it otherwise until the hook returns). A pusher who went away is noticed at the next
 * write, i.e. the next log line: a build step that prints nothing holds the push until it prints,
 * the build ends or the limit is reached.
 */
final class BuildLogRelay {

  private static final Logger log = LoggerFactory.getLogger(BuildLogRelay.class);
  private static final Duration POLL = Duration.ofMillis(250);

  /** The push option that asks for a push to be followed when that is not the default. */
  static final String FOLLOW = "follow";

  /** The push option that asks for a push to return as soon as its build is queued. */
  static final String NO_FOLLOW = "no-follow";

  private final BuildQueue queue;
  private final Duration limit;
  private final boolean byDefault;

  BuildLogRelay(BuildQueue queue, Duration limit, boolean byDefault) {
    this.queue = queue;
    this.limit = limit;
    this.byDefault = byDefault;
  }

  /**
   * Whether a push sent with {@code pushOptions} is followed: never when {@code push-follow-limit}
   * is 0; else as its options ask ({@value #NO_FOLLOW} or {@value #FOLLOW}), else by default.
   */
  boolean wanted(List<String> pushOptions) {
    if (!limit.isPositive()) {
      return false;
    }
    List<String> options = pushOptions == null ? List.of() : pushOptions;
    if (options.contains(NO_FOLLOW)) {
      return false;
    }
    return options.contains(FOLLOW) || byDefault;
  }

  /** Relays build {@code number} of {@code app} to the pusher of {@code pack}. */
  void follow(
      ReceivePack pack, AppRef app, int number, PortalPages pages, BooleanSupplier clientGone) {
    long deadline = System.nanoTime() + limit.toNanos();
    int offset = 0;
    StringBuilder partial = new StringBuilder();
    while (true) {
      if (clientGone.getAsBoolean()) {
        log.info("Stopped relaying build #{} of {}: the pusher went away", number, app);
        return;
      }
      Optional<BuildQueue.LogChunk> chunk = queue.logSince(app, number, offset);
      if (chunk.isEmpty()) {
        return; // the app and its builds were deleted meanwhile
      }
      String text = chunk.get().text();
      offset += text.length();
      partial.append(text);
      int newline;
      while ((newline = partial.indexOf("\n")) >= 0) {
        pack.sendMessage("Slipway: " + printable(partial.substring(0, newline)));
        partial.delete(0, newline + 1);
      }
      Optional<Build> ended =
          chunk.get().ended() && text.isEmpty() ? queue.find(app, number) : Optional.empty();
      if (ended.isPresent() && !deploying(ended.get())) {
        if (!partial.isEmpty()) {
          pack.sendMessage("Slipway: " + printable(partial.toString()));
        }
        pack.sendMessage("Slipway: " + printable(ending(ended.get(), pages.app(app))));
        flush(pack);
        return;
      }
      flush(pack);
      if (System.nanoTime() - deadline >= 0) {
        pack.sendMessage(
            "Slipway: "
                + (ended.isPresent() ? "the deploy" : "the build")
                + " goes on, no longer followed here after "
                + (limit.toSeconds() % 60 == 0
                    ? limit.toMinutes() + " minutes"
                    : limit.toSeconds() + " seconds")
                + ": "
                + pages.build(app, number));
        flush(pack);
        return;
      }
      if (text.isEmpty() && !pause()) {
        return;
      }
    }
  }

  /** Whether the build succeeded and its deploy request still waits for runtime-bridge. */
  private static boolean deploying(Build build) {
    return build.deploy() != null && build.deploy().pending();
  }

  /**
   * How the push ended, in plain words: a build that failed or was cancelled, or what came of its
   * deploy (live at its URL, failed with the reason, ...).
   */
  static String ending(Build build, String appPage) {
    String head = "build #" + build.number() + " ";
    return switch (build.status()) {
      case "succeeded" -> head + deployed(build.deploy(), appPage);
      case "cancelled" ->
          head + "was cancelled" + (build.reason() == null ? "" : ": " + build.reason());
      default -> head + "failed: " + (build.reason() == null ? "see its log" : build.reason());
    };
  }

  /** What came of a succeeded build's deploy. */
  private static String deployed(Build.Deploy deploy, String appPage) {
    if (deploy == null) {
      return "succeeded; the app and its deployment: " + appPage;
    }
    return switch (deploy.status()) {
      case "live" ->
          "is live"
              + (deploy.revision() == null ? "" : " as revision " + deploy.revision())
              + ": "
              + (deploy.url() == null ? appPage : deploy.url());
      case "failed" ->
          "succeeded, but its deploy failed: "
              + firstLine(deploy.reason())
              + "; a previous revision, if any, keeps serving. The app's events and logs: "
              + appPage;
      case "refused" -> "succeeded, but its deploy was refused: " + firstLine(deploy.reason());
      case "superseded" -> "succeeded; a newer build is deployed instead: " + appPage;
      case "skipped" -> "succeeded; it is not deployed: " + deploy.reason();
      default -> "succeeded; its deploy was requested: " + appPage;
    };
  }

  /** A reason's first line, saying that the rest (last log lines) was relayed above. */
  private static String firstLine(String reason) {
    int newline = reason.indexOf('\n');
    return newline < 0
        ? reason
        : reason.substring(0, newline).replaceFirst("[;,]? *last log lines:?$", "")
            + " (its last log lines are above)";
  }

  /** Control characters of a build's output are not the pusher's terminal's business. */
  static String printable(String line) {
    StringBuilder out = new StringBuilder(line.length());
    line.codePoints()
        .filter(c -> c != '\r')
        .forEach(c -> out.appendCodePoint(c != '\t' && Character.isISOControl(c) ? '?' : c));
    return out.toString();
  }

  private static void flush(ReceivePack pack) {
    try {
      pack.getMessageOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for more log; false when interrupted (the server is stopping): let the push go. */
  private static boolean pause() {
    try {
      Thread.sleep(POLL);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
