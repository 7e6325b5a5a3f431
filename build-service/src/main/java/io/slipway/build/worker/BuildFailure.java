package io.slipway.build.worker;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a build failed, in plain words, read from the end of its log: a limit of the sandbox it hit
 * (memory, processes, disk), a base image that does not exist, a step that needed the network, a
 * step denied permission, a function's handler that does not load, a dependency install or another
 * step that failed (named, with its exit status), a file the Containerfile names that is not in the
 * repository; else buildah's exit code. The last lines of the log follow either way.
 *
 * @param memoryMib the build's memory limit
 * @param pidsLimit the build's process limit, 0 when none
 * @param bases the platform's images a {@code FROM} may name besides the tenant's own
 * @param network what a build may reach, for a build that failed on the network
 * @param storeMib the size of the tenant's build store (its image store and cache, on a file system
 *     of their own), 0 when builds have none (on the host, outside the sandbox)
 */
record BuildFailure(
    long memoryMib, long pidsLimit, List<String> bases, String network, long storeMib) {

  /** What the sandbox's container exits with when the kernel kills it (SIGKILL: 128 + 9). */
  private static final int KILLED = 137;

  private static final int STEP_MAX = 160;

  private static final Pattern MISSING_IMAGE =
      Pattern.compile("(?:creating build container|FROM): (\\S+): image not known");
  private static final Pattern STEP = Pattern.compile("building at STEP \"(.*?)\": (.*)$");
  private static final Pattern MISSING_SOURCE =
      Pattern.compile("stat: \"?([^\"]*)\"?: no such file or directory", Pattern.CASE_INSENSITIVE);
  private static final Pattern INSTALLER =
      Pattern.compile(
          "\\b(npm (?:ci|install|i)|yarn(?: install)?|pnpm (?:install|i)|pip3? install|"
              + "python3? -m pip install|mvn|\\./mvnw|gradle|\\./gradlew|go (?:mod download|build)|"
              + "apt-get|apt|apk add|bundle install|composer install|cargo (?:build|fetch))\\b");

  /** An {@code ADD} of a URL (a git repository or a file), which buildah fetches itself. */
  private static final Pattern REMOTE_ADD =
      Pattern.compile("^ADD\\b.*\\b(?:https?|git)://", Pattern.CASE_INSENSITIVE);

  private static final List<String> NETWORK =
      List.of(
          "egress refused",
          "build egress is off",
          "bad address",
          "could not resolve host",
          "temporary failure in name resolution",
          "name or service not known",
          "getaddrinfo",
          "eai_again",
          "enotfound",
          "network is unreachable",
          "failed to establish a new connection",
          "unknownhostexception",
          "could not transfer artifact",
          // pip, when the proxy refuses the tunnel (its own "egress refused" line may have
          // scrolled out of the tail behind pip's retries)
          "tunnel connection failed",
          "cannot connect to proxy",
          "dial tcp");

  BuildFailure {
    bases = List.copyOf(bases);
  }

  String explain(int exitCode, List<String> lastLines) {
    String reason = reason(exitCode, lastLines);
    if (lastLines.isEmpty()) {
      return reason;
    }
    return reason + "; the log ends with:\n" + String.join("\n", lastLines);
  }

  private String reason(int exitCode, List<String> lastLines) {
    String log = String.join("\n", lastLines).toLowerCase(Locale.ROOT);
    if (exitCode == KILLED
        || log.contains("exited on killed")
        || log.contains("signal: killed")
        || log.contains("exit status 137")
        || log.contains("out of memory")
        || log.contains("cannot allocate memory")) {
      return "the build ran out of memory (limit " + memoryMib + " MiB)";
    }
    if (pidsLimit > 0
        && (log.contains("resource temporarily unavailable") || log.contains("can't fork"))) {
      return "the build started too many processes at once (limit " + pidsLimit + ")";
    }
    if (filledStore(lastLines)) {
      return "the build filled the tenant's build disk ("
          + storeMib
          + " MiB, slipway.build.sandbox.store-mib), which holds its images and build cache;"
          + " they are cleared, so the next build starts without cached layers; a build that"
          + " needs more needs the platform's operator to raise that setting";
    }
    if (log.contains("no space left on device")) {
      return "the build ran out of disk space";
    }
    Matcher image = last(MISSING_IMAGE, lastLines);
    if (image != null) {
      return "the base image "
          + image.group(1)
          + " does not exist here: FROM may name an image this tenant built, by its full name,"
          + " or one of the platform's: "
          + String.join(", ", bases);
    }
    Matcher step = last(STEP, lastLines);
    if (step == null) {
      return "buildah bud failed with exit code " + exitCode;
    }
    String command = step.group(1);
    Optional<String> handler = FunctionRuntime.unusableHandler(command, lastLines);
    if (handler.isPresent()) {
      return handler.get() + " (fix it and push again)";
    }
    String what = "`" + shorten(command) + "`";
    String status = step.group(2).trim();
    Matcher source = MISSING_SOURCE.matcher(status);
    if ((command.startsWith("COPY") || command.startsWith("ADD")) && source.find()) {
      return "the step "
          + what
          + " names "
          + source.group(1)
          + ", which is not in the repository at this commit";
    }
    if (NETWORK.stream().anyMatch(log::contains)) {
      if (REMOTE_ADD.matcher(command).find()) {
        return "the step "
            + what
            + " fetches a URL, which buildah does itself, outside the build's egress proxy, so it"
            + " can never reach the network here; download the file in a RUN step instead (curl,"
            + " wget, npm, pip and apt-get go through the proxy): "
            + network;
      }
      return "the step " + what + " needed the network and could not reach it: " + network;
    }
    if (log.contains("permission denied") || log.contains("eacces")) {
      return "the step "
          + what
          + " was denied permission ("
          + status
          + "): it wrote or ran a file its user may not; check the USER it runs as and the"
          + " files' modes";
    }
    Matcher installer = INSTALLER.matcher(command);
    if (installer.find()) {
      return "the dependency install "
          + what
          + " failed ("
          + status
          + "); the lines above it name the package or the error";
    }
    return "the step " + what + " failed (" + status + ")";
  }

  /** Whether the build failed because it filled its tenant's build store. */
  boolean filledStore(List<String> lastLines) {
    return storeMib > 0
        && lastLines.stream()
            .anyMatch(line -> line.toLowerCase(Locale.ROOT).contains("no space left on device"));
  }

  private static Matcher last(Pattern pattern, List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      Matcher m = pattern.matcher(lines.get(i));
      if (m.find()) {
        return m;
      }
    }
    return null;
  }

  private static String shorten(String command) {
    return command.length() <= STEP_MAX ? command : command.substring(0, STEP_MAX - 1) + "…";
  }
}
