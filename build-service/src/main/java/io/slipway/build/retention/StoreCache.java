package io.slipway.build.retention;

import io.slipway.build.sandbox.BuildSandbox.CacheImage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Which of a tenant's cache images ({@link CacheImage}: untagged ends of its layer cache) a
 * retention pass removes: those no kept build made. A build's steps are committed while it runs, so
 * a cache image belongs to a kept build when it was made between that build's start and its end
 * (both on the host's clock, give or take {@link #SLACK}); one made since the pass began may be a
 * build's that has just started, and stays too.
 *
 * @param kept when the kept builds ran (a running build's span has no end)
 * @param passStarted when the pass read which builds are kept
 */
record StoreCache(List<Span> kept, Instant passStarted) {

  /**
   * How far apart the database's and the sandbox's readings of the host's clock may be: buildah
   * gives an image's time in whole seconds, and a second more for the rest.
   */
  static final Duration SLACK = Duration.ofSeconds(2);

  /**
   * When a build ran.
   *
   * @param end null while it runs
   */
  record Span(Instant start, Instant end) {

    boolean covers(Instant instant) {
      return !instant.isBefore(start.minus(SLACK))
          && (end == null || !instant.isAfter(end.plus(SLACK)));
    }
  }

  /** The ids of {@code images} no kept build made, made before the pass began. */
  List<String> stale(List<CacheImage> images) {
    Instant before = passStarted.minus(SLACK);
    return images.stream()
        .filter(image -> image.created().isBefore(before))
        .filter(image -> kept.stream().noneMatch(span -> span.covers(image.created())))
        .map(CacheImage::id)
        .toList();
  }
}
