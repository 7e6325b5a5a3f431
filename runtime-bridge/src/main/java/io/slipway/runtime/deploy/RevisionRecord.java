package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.rollout.RolloutResult;
import java.time.Instant;
import java.util.List;

/**
 * A stored revision: its spec and how its rollout went.
 *
 * @param spec what runs
 * @param buildId the build it came from, when build-service deployed it
 * @param buildNumber that build's number within its app, when the deploy request said
 * @param commit the commit that build built, when the deploy request said
 * @param status {@code pending} (accepted, waiting for the reconciler), {@code deploying}, {@code
 *     live}, {@code failed}, {@code retired}, or {@code superseded} (a newer revision was accepted
 *     before its rollout started: it never ran)
 * @param reason why it failed or was superseded, else null
 * @param reservationKeys the tenant-service reservations holding its compute, while it holds any
 * @param createdAt when it was asked for
 * @param finishedAt when it became live or failed
 * @param liveAt when it became live, else null
 * @param stages how long each stage of its rollout took ({@code admission}, {@code start}, {@code
 *     health}, {@code route})
 * @param pinned its image is kept by retention whatever its age ({@link ImageRetention})
 * @param imageRemoved retention removed its image from the runtime's store: it cannot be rolled
 *     back to
 */
record RevisionRecord(
    AppSpec spec,
    String buildId,
    Integer buildNumber,
    String commit,
    String status,
    String reason,
    List<String> reservationKeys,
    Instant createdAt,
    Instant finishedAt,
    Instant liveAt,
    List<RolloutResult.Stage> stages,
    boolean pinned,
    boolean imageRemoved) {

  static final String PENDING = "pending";
  static final String DEPLOYING = "deploying";
  static final String LIVE = "live";
  static final String FAILED = "failed";
  static final String RETIRED = "retired";
  static final String SUPERSEDED = "superseded";

  RevisionRecord {
    reservationKeys = List.copyOf(reservationKeys);
    stages = List.copyOf(stages);
  }

  /** Whether its rollout has ended: live (or retired since), failed, or superseded. */
  boolean settled() {
    return !PENDING.equals(status) && !DEPLOYING.equals(status);
  }
}
