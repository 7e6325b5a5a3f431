package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppSpec;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * Which revisions' images retention keeps, decided on the revisions alone. Per app the kept
 * revisions are the live one, every one accepted and not yet rolled out ({@code pending}, {@code
 * deploying}), the newest by number (as many as its tenant keeps), and the pinned ones. Every other
 * revision whose image is still there is retired, unless a kept revision of any app runs the same
 * image (the same digest, the same name or the same reference): an image is only ever removed once
 * nothing kept needs it.
 */
final class RetainedImages {

  private RetainedImages() {}

  /**
   * One revision as retention sees it.
   *
   * @param appId the app's id
   * @param revision its number within the app
   * @param status as {@link RevisionRecord#status}
   * @param live it is the app's live revision
   * @param pinned its image is kept whatever its age
   * @param imageRemoved retention already removed its image
   * @param image the name it was deployed by
   * @param digest the digest it was pinned to, or null
   */
  record Revision(
      String appId,
      int revision,
      String status,
      boolean live,
      boolean pinned,
      boolean imageRemoved,
      String image,
      String digest) {

    /** What the runtime runs for it ({@code repository@digest}, or the name). */
    String reference() {
      return AppSpec.imageReference(image, digest);
    }

    /** The names it is known by: a kept revision keeps every image that answers to one of them. */
    Set<String> names() {
      Set<String> names = new HashSet<>(List.of(image, reference()));
      if (digest != null) {
        names.add(digest);
      }
      return names;
    }
  }

  /**
   * The revisions whose images stay, of every app in {@code revisions}; {@code newest} says how
   * many of an app's newest revisions keep theirs, by app id.
   */
  static List<Revision> kept(List<Revision> revisions, ToIntFunction<String> newest) {
    Map<String, List<Revision>> byApp =
        revisions.stream().collect(Collectors.groupingBy(Revision::appId));
    return byApp.entrySet().stream()
        .flatMap(app -> keptOfApp(app.getValue(), newest.applyAsInt(app.getKey())).stream())
        .toList();
  }

  /**
   * The revisions whose images go: not kept, not removed yet, and sharing no image with a kept
   * revision of any app in {@code revisions}.
   */
  static List<Revision> retired(List<Revision> revisions, ToIntFunction<String> newest) {
    List<Revision> kept = kept(revisions, newest);
    Set<String> keptNames =
        kept.stream().flatMap(r -> r.names().stream()).collect(Collectors.toSet());
    Set<Revision> keptSet = new HashSet<>(kept);
    return revisions.stream()
        .filter(r -> !keptSet.contains(r) && !r.imageRemoved())
        .filter(r -> r.names().stream().noneMatch(keptNames::contains))
        .sorted(Comparator.comparing(Revision::appId).thenComparingInt(Revision::revision))
        .toList();
  }

  private static List<Revision> keptOfApp(List<Revision> app, int newest) {
    Set<Integer> newestNumbers =
        app.stream()
            .map(Revision::revision)
            .sorted(Comparator.reverseOrder())
            .limit(newest)
            .collect(Collectors.toSet());
    return app.stream()
        .filter(
            r ->
                r.live()
                    || r.pinned()
                    || RevisionRecord.PENDING.equals(r.status())
                    || RevisionRecord.DEPLOYING.equals(r.status())
                    || RevisionRecord.LIVE.equals(r.status())
                    || newestNumbers.contains(r.revision()))
        .toList();
  }
}
