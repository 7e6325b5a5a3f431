package io.slipway.runtime.rollout;

/**
 * How a rollout ended.
 *
 * @param revision the revision rolled out
 * @param live whether it now takes the traffic
 * @param reason why it did not become live (exit code, last log lines), else null
 * @param millis how long it took from start to live (or to giving up)
 */
public record RolloutResult(int revision, boolean live, String reason, long millis) {}
