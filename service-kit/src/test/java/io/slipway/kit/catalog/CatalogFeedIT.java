package io.slipway.kit.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.testing.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The cursor loop against a real PostgreSQL: nothing skipped, nothing applied twice on success. */
class CatalogFeedIT {

  private JdbcClient jdbc;
  private final List<CatalogEvent> feed = new ArrayList<>();
  private final List<Long> reads = new ArrayList<>();

  @BeforeEach
  void database() {
    var source = new DriverManagerDataSource(TestPostgres.newDatabase(), "postgres", "postgres");
    jdbc = JdbcClient.create(source);
    jdbc.sql("create table catalog_cursor (feed text primary key, seq bigint not null)").update();
  }

  private CatalogFeed feed() {
    return new CatalogFeed(
        jdbc,
        (after, limit) -> {
          reads.add(after);
          return feed.stream().filter(e -> e.seq() > after).limit(limit).toList();
        });
  }

  private void publish(long from, long to) {
    LongStream.rangeClosed(from, to)
        .forEach(seq -> feed.add(new CatalogEvent(seq, "app.deleted", "t1", "p1", "a" + seq)));
  }

  @Test
  void appliesEveryEventOnceInOrderAcrossPagesAndRuns() {
    publish(1, 250);
    List<Long> applied = new ArrayList<>();
    AtomicInteger pages = new AtomicInteger();

    assertThat(feed().catchUp(pages::incrementAndGet, e -> applied.add(e.seq()))).isEqualTo(250);
    assertThat(applied).containsExactlyElementsOf(LongStream.rangeClosed(1, 250).boxed().toList());
    assertThat(reads).containsExactly(0L, 100L, 200L);
    assertThat(pages).hasValue(3);

    publish(251, 252);
    applied.clear();
    // a new instance, as after a restart: it starts from the stored cursor
    assertThat(feed().catchUp(pages::incrementAndGet, e -> applied.add(e.seq()))).isEqualTo(2);
    assertThat(applied).containsExactly(251L, 252L);
    assertThat(feed().catchUp(() -> {}, e -> applied.add(e.seq()))).isZero();
    assertThat(pages).hasValue(4);
  }

  @Test
  void anEventThatFailsIsAppliedAgainNextTimeAndNothingAfterItIsSkipped() {
    publish(1, 5);
    List<Long> applied = new ArrayList<>();

    assertThatThrownBy(
            () ->
                feed()
                    .catchUp(
                        () -> {},
                        e -> {
                          if (e.seq() == 3) {
                            throw new IllegalStateException("podman is down");
                          }
                          applied.add(e.seq());
                        }))
        .hasMessage("podman is down");
    assertThat(applied).containsExactly(1L, 2L);

    assertThat(feed().catchUp(() -> {}, e -> applied.add(e.seq()))).isEqualTo(3);
    assertThat(applied).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void coversWhatTheDeletedObjectHolds() {
    var tenant = new CatalogEvent(1, "tenant.deleted", "t1", null, null);
    var project = new CatalogEvent(2, "project.deleted", "t1", "p1", null);
    var app = new CatalogEvent(3, "app.deleted", "t1", "p1", "a1");

    assertThat(tenant.covers("t1", "p9", "a9")).isTrue();
    assertThat(tenant.covers("t2", "p1", "a1")).isFalse();
    assertThat(project.covers("t1", "p1", "a9")).isTrue();
    assertThat(project.covers("t1", "p2", "a1")).isFalse();
    assertThat(app.covers("t1", "p1", "a1")).isTrue();
    assertThat(app.covers("t1", "p1", "a2")).isFalse();
    assertThat(List.of(tenant.deletedId(), project.deletedId(), app.deletedId()))
        .containsExactly("t1", "p1", "a1");
  }
}
