package io.slipway.portal.app;

import io.slipway.kit.client.AppBuilds.BuildStage;
import io.slipway.kit.client.AppBuilds.BuildView;
import io.slipway.kit.client.RuntimeBridge.DeploymentsView;
import io.slipway.kit.client.RuntimeBridge.RevisionView;
import io.slipway.kit.client.RuntimeBridge.RolloutStage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Where the time went from a push to the revision going live: the build's stages (receive, queue,
 * build, image), then the deploy's (admission, start, health, route), and whatever passed between
 * them (hand-offs) so the parts add up to the whole.
 *
 * @param totalMillis from the build's {@code receivedAt} to the revision's {@code liveAt}, or the
 *     sum of the stages when either time is missing
 */
public record PushToLive(int revision, int build, long totalMillis, List<Stage> stages) {

  /** One stage; {@code side} is {@code build}, {@code deploy} or {@code other}. */
  public record Stage(String name, String side, long millis, int offset, int width) {}

  /**
   * For the live revision (or, when none is live, the newest that went live) and the build that
   * produced it, which {@code builds} fetches by the number the revision names; empty when the
   * revision names no build (an image deploy, or one made before revisions named their build) or
   * the build cannot be fetched.
   */
  static Optional<PushToLive> of(
      DeploymentsView deployment, IntFunction<Optional<BuildView>> builds) {
    if (deployment == null) {
      return Optional.empty();
    }
    RevisionView revision = chosenRevision(deployment);
    if (revision == null || revision.buildNumber() == null) {
      return Optional.empty();
    }
    return builds.apply(revision.buildNumber()).map(build -> measured(build, revision));
  }

  static PushToLive measured(BuildView build, RevisionView revision) {
    List<Part> parts = new ArrayList<>();
    if (build.stages() != null) {
      for (BuildStage stage : build.stages()) {
        parts.add(new Part(stage.name(), "build", Math.max(0, stage.millis())));
      }
    }
    if (revision.stages() != null) {
      for (RolloutStage stage : revision.stages()) {
        parts.add(new Part(stage.name(), "deploy", Math.max(0, stage.millis())));
      }
    }
    long staged = parts.stream().mapToLong(Part::millis).sum();
    long total = between(build.receivedAt(), revision.liveAt()).orElse(staged);
    if (total > staged) {
      parts.add(new Part("hand-offs", "other", total - staged));
    }
    long scale = Math.max(total, staged);
    List<Stage> stages = new ArrayList<>();
    long elapsed = 0;
    for (Part part : parts) {
      long m = part.millis();
      // per mille of the whole, for the bar; a stage that took any time stays visible
      int offset = (int) (scale == 0 ? 0 : elapsed * 1000 / scale);
      int width = (int) (scale == 0 ? 0 : Math.max(m * 1000 / scale, m > 0 ? 4 : 0));
      stages.add(new Stage(part.name(), part.side(), m, offset, width));
      elapsed += m;
    }
    return new PushToLive(revision.revision(), build.number(), total, stages);
  }

  private record Part(String name, String side, long millis) {}

  /** Seconds with one decimal for the page, e.g. {@code 1.7 s}. */
  public static String seconds(long millis) {
    return millis < 1000 ? millis + " ms" : String.format("%.1f s", millis / 1000.0);
  }

  private static RevisionView chosenRevision(DeploymentsView deployment) {
    Integer live = deployment.liveRevision();
    RevisionView newestLive = null;
    for (RevisionView r :
        deployment.revisions() == null ? List.<RevisionView>of() : deployment.revisions()) {
      if (live != null && r.revision() == live) {
        return r;
      }
      if (newestLive == null && r.liveAt() != null) {
        newestLive = r;
      }
    }
    return newestLive;
  }

  private static Optional<Long> between(Instant from, Instant to) {
    if (from == null || to == null) {
      return Optional.empty();
    }
    return Optional.of(Math.max(0, Duration.between(from, to).toMillis()));
  }
}
