package io.slipway.build.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.sandbox.BuildSandbox.CacheImage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreCacheTest {

  private static final Instant PASS = Instant.parse("2026-12-06T12:00:00Z");

  private static Instant at(String time) {
    return Instant.parse("2026-12-06T" + time + "Z");
  }

  private static CacheImage image(String id, String time) {
    return new CacheImage(id, at(time));
  }

  @Test
  void onlyCacheNoKeptBuildMadeGoes() {
    StoreCache cache =
        new StoreCache(
            List.of(
                new StoreCache.Span(at("10:00:00"), at("10:01:00")),
                new StoreCache.Span(at("11:00:00"), at("11:02:00"))),
            PASS);

    assertThat(
            cache.stale(
                List.of(
                    image("before-any", "09:00:00"),
                    image("first-kept", "10:00:30"),
                    image("between", "10:30:00"),
                    image("second-kept", "11:01:00"),
                    image("after-kept", "11:30:00"))))
        .containsExactly("before-any", "between", "after-kept");
  }

  @Test
  void aKeptBuildsCacheStaysWithinTheClocksSlack() {
    StoreCache cache =
        new StoreCache(List.of(new StoreCache.Span(at("10:00:00"), at("10:01:00"))), PASS);

    assertThat(
            cache.stale(
                List.of(
                    image("just-before-start", "09:59:58"),
                    image("just-after-end", "10:01:02"),
                    image("well-before", "09:59:57"),
                    image("well-after", "10:01:03"))))
        .containsExactly("well-before", "well-after");
  }

  @Test
  void whatARunningBuildOrOneJustStartedMakesStays() {
    StoreCache cache = new StoreCache(List.of(new StoreCache.Span(at("11:50:00"), null)), PASS);

    assertThat(
            cache.stale(
                List.of(
                    image("older", "11:00:00"),
                    image("running", "11:55:00"),
                    image("since-the-pass", "12:00:30"),
                    image("at-the-pass", "11:59:59"))))
        .containsExactly("older");
  }

  @Test
  void withNoKeptBuildAllCacheMadeBeforeThePassGoes() {
    assertThat(
            new StoreCache(List.of(), PASS)
                .stale(List.of(image("a", "08:00:00"), image("b", "12:00:01"))))
        .containsExactly("a");
  }
}
