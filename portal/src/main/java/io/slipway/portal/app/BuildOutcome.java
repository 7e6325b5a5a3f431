package io.slipway.portal.app;

import io.slipway.kit.client.AppBuilds.BuildDeploy;
import io.slipway.kit.client.AppBuilds.BuildView;

/**
 * How a push went, as a build's badge and reason show it: a build that succeeded and whose deploy
 * failed or was refused is a failed push, at the deploy stage; one whose deploy request still waits
 * is deploying.
 *
 * @param label the badge's words
 * @param state the badge's style: {@code succeeded}, {@code failed}, {@code running}, ...
 * @param reason why it failed, first line only (the build page shows the rest), or empty
 */
public record BuildOutcome(String label, String state, String reason) {

  /** From build-service's view of a build. */
  public static BuildOutcome of(BuildView build) {
    String status = text(build.status());
    BuildDeploy deploy = build.deploy();
    if (!status.equals("succeeded") || deploy == null) {
      return new BuildOutcome(status, status, firstLine(text(build.reason())));
    }
    String reason = firstLine(text(deploy.reason()));
    return switch (text(deploy.status())) {
      case "failed" -> new BuildOutcome("deploy failed", "failed", reason);
      case "refused" -> new BuildOutcome("deploy refused", "failed", reason);
      case "pending" -> new BuildOutcome("deploying", "running", "");
      case "skipped" -> new BuildOutcome("succeeded", "succeeded", "not deployed: " + reason);
      case "superseded" ->
          new BuildOutcome("succeeded", "succeeded", "a newer build was deployed instead");
      default -> new BuildOutcome("succeeded", "succeeded", "");
    };
  }

  /** A reason's lines after its first (the log's last lines), for a block of their own. */
  public static String rest(String reason) {
    int newline = reason == null ? -1 : reason.indexOf('\n');
    return newline < 0 ? "" : reason.substring(newline + 1);
  }

  /** A reason's first line. */
  public static String head(String reason) {
    int newline = reason == null ? -1 : reason.indexOf('\n');
    return reason == null ? "" : newline < 0 ? reason : reason.substring(0, newline);
  }

  private static String text(String text) {
    return text == null ? "" : text;
  }

  /** The first line, without the announcement of the log lines that follow it. */
  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0
        ? text
        : text.substring(0, newline).replaceFirst("[;,]? *last log lines:?$", "");
  }
}
