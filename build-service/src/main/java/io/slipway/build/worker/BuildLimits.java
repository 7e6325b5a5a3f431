package io.slipway.build.worker;

import java.util.List;
import java.util.Locale;

/**
 * Why a build failed, in plain words: the sandbox's limit it hit when its log shows one (memory,
 * processes, disk), else buildah's exit code; with the last lines of its log either way.
 */
final class BuildLimits {

  /** What the sandbox's container exits with when the kernel kills it (SIGKILL: 128 + 9). */
  private static final int KILLED = 137;

  private BuildLimits() {}

  static String explain(int exitCode, List<String> lastLines, long memoryMib, long pidsLimit) {
    String log = String.join("\n", lastLines).toLowerCase(Locale.ROOT);
    String reason;
    if (exitCode == KILLED
        || log.contains("exited on killed")
        || log.contains("signal: killed")
        || log.contains("exit status 137")
        || log.contains("out of memory")
        || log.contains("cannot allocate memory")) {
      reason = "the build ran out of memory (limit " + memoryMib + " MiB)";
    } else if (pidsLimit > 0
        && (log.contains("resource temporarily unavailable") || log.contains("can't fork"))) {
      reason = "the build started too many processes at once (limit " + pidsLimit + ")";
    } else if (log.contains("no space left on device")) {
      reason = "the build ran out of disk space";
    } else {
      reason = "buildah bud failed with exit code " + exitCode;
    }
    if (lastLines.isEmpty()) {
      return reason;
    }
    return reason + "; the log ends with:\n" + String.join("\n", lastLines);
  }
}
