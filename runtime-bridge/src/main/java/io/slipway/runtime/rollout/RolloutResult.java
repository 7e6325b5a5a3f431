package io.slipway.runtime.rollout;

import java.util.List;

/**
 * How a rollout ended.
 *
 * @param revision the revision rolled out
 * @param live whether it now takes the traffic
 * @param reason why it did not become live (exit code, last log lines), else null
 * @param exitCode when an instance exited during the rollout, its exit code (137: killed, usually
 *     over its memory limit); null when it became live or never answered its health check
 * @param millis how long it took from start to live (or to giving up)
 * @param stages where the time went: {@code release} (when it has one-off commands), {@code start},
 *     {@code health}, {@code route}, {@code postdeploy}, in order
 * @param failedPhase the one-off command ({@code predeploy}, {@code release}) that stopped it, else
 *     null
 * @param postdeployFailure why {@code postdeploy} failed after the revision went live, else null
 */
public record RolloutResult(
    int revision,
    boolean live,
    String reason,
    Integer exitCode,
    long millis,
    List<Stage> stages,
    String failedPhase,
    String postdeployFailure) {

  public RolloutResult {
    stages = List.copyOf(stages);
  }

  /** A rollout that did not stop at a one-off command and ran no {@code postdeploy}. */
  public RolloutResult(
      int revision,
      boolean live,
      String reason,
      Integer exitCode,
      long millis,
      List<Stage> stages) {
    this(revision, live, reason, exitCode, millis, stages, null, null);
  }

  /** One timed stage of a deploy. */
  public record Stage(String name, long millis) {}
}
