package io.slipway.portal.app;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import tools.jackson.databind.JsonNode;

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
  static Optional<PushToLive> of(JsonNode deployment, IntFunction<Optional<JsonNode>> builds) {
    if (deployment == null) {
      return Optional.empty();
    }
    JsonNode revision = chosenRevision(deployment);
    if (revision == null || !revision.path("buildNumber").isNumber()) {
      return Optional.empty();
    }
    return builds
        .apply(revision.path("buildNumber").asInt())
        .map(build -> measured(build, revision));
  }

  static PushToLive measured(JsonNode build, JsonNode revision) {
    List<Part> parts = new ArrayList<>();
    collect(build, "build", parts);
    collect(revision, "deploy", parts);
    long staged = parts.stream().mapToLong(Part::millis).sum();
    long total =
        between(build.path("receivedAt").asString(""), revision.path("liveAt").asString(""))
            .orElse(staged);
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
    return new PushToLive(
        revision.path("revision").asInt(), build.path("number").asInt(), total, stages);
  }

  private record Part(String name, String side, long millis) {}

  /** Seconds with one decimal for the page, e.g. {@code 1.7 s}. */
  public static String seconds(long millis) {
    return millis < 1000 ? millis + " ms" : String.format("%.1f s", millis / 1000.0);
  }

  private static JsonNode chosenRevision(JsonNode deployment) {
    int live = deployment.path("liveRevision").asInt(-1);
    JsonNode newestLive = null;
    for (JsonNode r : deployment.path("revisions")) {
      if (r.path("revision").asInt() == live) {
        return r;
      }
      if (newestLive == null && !r.path("liveAt").asString("").isEmpty()) {
        newestLive = r;
      }
    }
    return newestLive;
  }

  private static void collect(JsonNode owner, String side, List<Part> parts) {
    for (JsonNode stage : owner.path("stages")) {
      parts.add(
          new Part(
              stage.path("name").asString(), side, Math.max(0, stage.path("millis").asLong())));
    }
  }

  private static Optional<Long> between(String from, String to) {
    try {
      return Optional.of(
          Math.max(0, Duration.between(Instant.parse(from), Instant.parse(to)).toMillis()));
    } catch (DateTimeParseException missing) {
      return Optional.empty();
    }
  }
}
