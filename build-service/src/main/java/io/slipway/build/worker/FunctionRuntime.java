package io.slipway.build.worker;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the function stacks' images share: Slipway's function runtime (a file under {@value #DIR} of
 * the stack's runtime image, from {@code config/stacks/function-*}) is the image's command, the
 * label {@value #LABEL} names the runtime (its presence is what makes an app a function for
 * runtime-bridge), and the build's last step loads the handler with the runtime's {@code --check}
 * (a Java function's build also compiles it with {@code --compile}), which ends with one line
 * starting {@value #CHECK_FAILED} when the handler cannot be used.
 */
final class FunctionRuntime {

  /** The image label that makes an app a function; its value is the runtime's name. */
  static final String LABEL = "io.slipway.function";

  /** Where the stack images hold the runtimes. */
  static final String DIR = "/opt/slipway/function";

  /** How the runtime's {@code --check} starts the line that says why a handler is unusable. */
  static final String CHECK_FAILED = "slipway function: ";

  private FunctionRuntime() {}

  /**
   * The image's {@code CMD} (exec form: nothing to expand) running {@code command}, and its label
   * naming {@code runtime}.
   */
  static String start(String runtime, String... command) {
    return "CMD ["
        + List.of(command).stream().map(arg -> "\"" + arg + "\"").collect(Collectors.joining(", "))
        + "]\nLABEL "
        + LABEL
        + "="
        + runtime;
  }

  /**
   * The {@code RUN} step that checks the handler: shell form, so that {@code python3} is the venv's
   * when the function has one.
   */
  static String check(String command) {
    return "RUN " + command + " --check";
  }

  /** The {@code RUN} step that compiles the handler (Java's): the runtime's {@code --compile}. */
  static String compile(String command) {
    return "RUN " + command + " --compile";
  }

  /**
   * Why the handler cannot be used, when {@code step} is the check (or the compile step) that
   * failed and its log says so.
   */
  static Optional<String> unusableHandler(String step, List<String> lastLines) {
    if (!step.startsWith("RUN ")
        || !step.contains(DIR + "/")
        || !(step.endsWith(" --check") || step.endsWith(" --compile"))) {
      return Optional.empty();
    }
    for (int i = lastLines.size() - 1; i >= 0; i--) {
      String line = lastLines.get(i);
      if (line.startsWith(CHECK_FAILED)) {
        return Optional.of(line.substring(CHECK_FAILED.length()));
      }
    }
    return Optional.empty();
  }
}
