package io.slipway.build.support;

import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reading a build's log as {@link Tenancy#log} answers it (its Server-Sent Events). */
public final class BuildLogs {

  private BuildLogs() {}

  /**
   * Whether the build's step running {@code command} was taken from the layer cache: buildah's next
   * line after the step's says so.
   */
  public static boolean cachedStep(String log, String command) {
    String lines =
        log.lines()
            .filter(line -> line.startsWith("data:"))
            .map(line -> line.substring("data:".length()))
            .collect(Collectors.joining("\n"));
    return Pattern.compile(
            "(?m)^(\\[\\d+/\\d+\\] )?STEP \\d+/\\d+: RUN .*"
                + Pattern.quote(command)
                + ".*\\n--> Using cache ")
        .matcher(lines)
        .find();
  }
}
