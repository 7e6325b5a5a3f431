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
 * @param stages where the time went: {@code start}, {@code health}, {@code route}, in order
 */
public record RolloutResult(
    int revision, boolean live, String reason, Integer exitCode, long millis, List<Stage> stages) {

  public RolloutResult {
    stages = List.copyOf(stages);
  }

  /** One timed stage of a deploy. */
  public record Stage(String name, long millis) {}
}
