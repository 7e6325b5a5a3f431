package io.slipway.kit.catalog;

import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads tenant-service's catalog feed after the cursor a service keeps in its own database (table
 * {@code catalog_cursor(feed, seq)}), and moves the cursor past an event only once it is applied: a
 * service that was down, or failed half-way, applies the event again and catches up. So applying
 * must be idempotent. Callers serialise {@link #catchUp} themselves.
 */
public final class CatalogFeed {

  /** Reads up to {@code limit} events after {@code seq}, oldest first. */
  @FunctionalInterface
  public interface Source {
    List<CatalogEvent> after(long seq, int limit);
  }

  private static final String FEED = "tenant-service";
  private static final int PAGE = 100;

  private final JdbcClient jdbc;
  private final Source source;

  public CatalogFeed(JdbcClient jdbc, Source source) {
    this.jdbc = jdbc;
    this.source = source;
  }

  /**
   * Applies every event after the stored cursor, a page at a time; {@code beforePage} runs once
   * before each non-empty page (to read state that every event of the page needs only once).
   *
   * @return how many events were applied
   */
  public int catchUp(Runnable beforePage, Consumer<CatalogEvent> apply) {
    long cursor = cursor();
    int applied = 0;
    while (true) {
      List<CatalogEvent> page = source.after(cursor, PAGE);
      if (!page.isEmpty()) {
        beforePage.run();
      }
      for (CatalogEvent event : page) {
        apply.accept(event);
        cursor = event.seq();
        saveCursor(cursor);
        applied++;
      }
      if (page.size() < PAGE) {
        return applied;
      }
    }
  }

  private long cursor() {
    return jdbc.sql("select seq from catalog_cursor where feed = ?")
        .param(FEED)
        .query(Long.class)
        .optional()
        .orElse(0L);
  }

  private void saveCursor(long seq) {
    jdbc.sql(
            "insert into catalog_cursor (feed, seq) values (?, ?)"
                + " on conflict (feed) do update set seq = excluded.seq")
        .params(FEED, seq)
        .update();
  }
}
