package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which revisions' images retention keeps and which it retires. */
class RetainedImagesTest {

  private static final String SHOP = "ashopshopsho";
  private static final String BLOG = "ablogblogblo";

  @Test
  void theNewestTheLiveTheAcceptedAndThePinnedAreKept() {
    List<RetainedImages.Revision> shop =
        List.of(
            revision(SHOP, 1, "retired", false, true, false, "shop:1"),
            revision(SHOP, 2, "retired", false, false, false, "shop:2"),
            revision(SHOP, 3, "live", true, false, false, "shop:3"),
            revision(SHOP, 4, "failed", false, false, false, "shop:4"),
            revision(SHOP, 5, "retired", false, false, false, "shop:5"),
            revision(SHOP, 6, "pending", false, false, false, "shop:6"),
            revision(SHOP, 7, "failed", false, false, false, "shop:7"),
            revision(SHOP, 8, "superseded", false, false, false, "shop:8"));

    assertThat(numbers(RetainedImages.kept(shop, app -> 2))).containsExactly(1, 3, 6, 7, 8);
    assertThat(numbers(RetainedImages.retired(shop, app -> 2))).containsExactly(2, 4, 5);
    assertThat(numbers(RetainedImages.retired(shop, app -> 10))).isEmpty();
  }

  @Test
  void anImageAKeptRevisionOfAnyAppRunsStaysAndARemovedOneIsNotRetiredAgain() {
    String digest = "sha256:" + "a".repeat(64);
    List<RetainedImages.Revision> revisions =
        List.of(
            // the same build by digest, deployed by another name
            new RetainedImages.Revision(SHOP, 1, "retired", false, false, false, "shop:1", digest),
            // the same name as a kept revision of another app
            revision(SHOP, 2, "retired", false, false, false, "shared:1"),
            // already removed
            revision(SHOP, 3, "retired", false, false, true, "shop:3"),
            revision(SHOP, 4, "retired", false, false, false, "shop:4"),
            revision(SHOP, 5, "live", true, false, false, "shop:5"),
            new RetainedImages.Revision(BLOG, 1, "live", true, false, false, "blog:1", digest),
            revision(BLOG, 2, "deploying", false, false, false, "shared:1"));

    assertThat(RetainedImages.retired(revisions, app -> 1))
        .extracting(r -> r.appId() + "/" + r.revision())
        .containsExactly(SHOP + "/4");
  }

  @Test
  void eachAppKeepsAsManyOfItsNewestAsItsOwnNumberSays() {
    List<RetainedImages.Revision> revisions =
        List.of(
            revision(SHOP, 1, "retired", false, false, false, "shop:1"),
            revision(SHOP, 2, "retired", false, false, false, "shop:2"),
            revision(SHOP, 3, "live", true, false, false, "shop:3"),
            revision(BLOG, 1, "retired", false, false, false, "blog:1"),
            revision(BLOG, 2, "retired", false, false, false, "blog:2"),
            revision(BLOG, 3, "live", true, false, false, "blog:3"));

    assertThat(RetainedImages.retired(revisions, app -> app.equals(SHOP) ? 1 : 3))
        .extracting(r -> r.appId() + "/" + r.revision())
        .containsExactly(SHOP + "/1", SHOP + "/2");
  }

  @Test
  void aDigestedRevisionRunsItsRepositoryAtTheDigest() {
    String digest = "sha256:" + "b".repeat(64);
    assertThat(
            new RetainedImages.Revision(SHOP, 1, "live", true, false, false, "r/x:1", digest)
                .reference())
        .isEqualTo("r/x@" + digest);
  }

  private static RetainedImages.Revision revision(
      String app,
      int number,
      String status,
      boolean live,
      boolean pinned,
      boolean removed,
      String image) {
    return new RetainedImages.Revision(app, number, status, live, pinned, removed, image, null);
  }

  private static List<Integer> numbers(List<RetainedImages.Revision> revisions) {
    return revisions.stream().map(RetainedImages.Revision::revision).sorted().toList();
  }
}
