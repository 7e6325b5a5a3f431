package io.slipway.runtime.deploy;

import io.slipway.kit.secret.SecretBox;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves every stored secret under the current key once the bridge is up (the schema migrated), so
 * that the keys {@code slipway.runtime.secret-key} replaced can be dropped from {@code
 * slipway.runtime.previous-secret-keys}: each app row's {@code secrets}, each revision row's {@code
 * secrets} and {@code secrets_before} and each VM's {@code user_data} (counted with the apps'
 * secrets) that does not name the current key (sealed under a previous one, or of the first form,
 * which names none) is opened and sealed again.
 *
 * <p>In batches of {@link #BATCH} rows in primary-key order, each batch one transaction. A row is
 * written only while it still holds the value read (compare and set), so a configuration saved
 * meanwhile is never overwritten. Killed halfway, the committed batches stay done and the next
 * start goes on; run again, it finds nothing. Replicas that start together re-seal side by side:
 * the second write of a row finds another value and is skipped. A value that no configured key
 * opens is left as it is, with a warning naming its app; the last line of a run says how many
 * values remain under other keys, and whether the previous keys may be removed.
 */
@Component
class SecretResealer {

  private static final Logger log = LoggerFactory.getLogger(SecretResealer.class);

  static final int BATCH = 50;
  private static final long PROGRESS_EVERY = TimeUnit.SECONDS.toNanos(10);

  /**
   * A column of sealed values and the primary key of its table (tenant, project, app first, the
   * context the stores seal under); {@code where} says which value of an app a row's is.
   */
  private record Column(String table, String name, List<String> key, String where) {
    static final Column APP = new Column("app", "secrets", List.of("tenant", "project", "app"), "");
    static final Column REVISION =
        new Column(
            "revision", "secrets", List.of("tenant", "project", "app", "revision"), " revision %s");
    static final Column BEFORE =
        new Column(
            "revision",
            "secrets_before",
            List.of("tenant", "project", "app", "revision"),
            " revision %s (the configuration before it)");
    static final Column VM =
        new Column("vm", "user_data", List.of("tenant", "project", "app"), " (its VM's user-data)");

    /** A batch of rows after a key (or from the first), with values not under a prefix. */
    String select(boolean after) {
      String columns = String.join(", ", key);
      return "select %s, %s from %s where %s is not null and not starts_with(%s, ?)%s order by %s limit ?"
          .formatted(
              columns,
              name,
              table,
              name,
              name,
              after ? " and (" + columns + ") > (" + placeholders() + ")" : "",
              columns);
    }

    /** Sets the value of the row of a key while it still holds the value read. */
    String compareAndSet() {
      return "update %s set %s = ? where (%s) = (%s) and %s = ?"
          .formatted(table, name, String.join(", ", key), placeholders(), name);
    }

    private String placeholders() {
      return String.join(", ", Collections.nCopies(key.size(), "?"));
    }

    /**
     * The app of a row's key, as AppRef.toString() writes it: the context the stores seal under.
     */
    static String context(List<Object> rowKey) {
      return rowKey.get(0) + "/" + rowKey.get(1) + "/" + rowKey.get(2);
    }

    String describe(List<Object> rowKey) {
      return context(rowKey) + where.formatted(rowKey.getLast());
    }
  }

  /** One run's outcome: values re-sealed, values no key opened, values left under other keys. */
  record Resealed(int apps, int revisions, int unopened, int left) {}

  /** Values of a column re-sealed, and those no key opened. */
  private record Count(int resealed, int unopened) {}

  private record Batch(Count count, int read, List<Object> lastKey) {}

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final SecretBox box;

  SecretResealer(JdbcClient jdbc, TransactionTemplate tx, SecretBox box) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.box = box;
  }

  @EventListener(ApplicationReadyEvent.class)
  void resealInBackground() {
    Thread.ofVirtual().name("secret-resealer").start(this::resealAndReport);
  }

  /** A run, ended by a line saying what it did and whether the previous keys may go. */
  void resealAndReport() {
    try {
      Resealed done = reseal();
      if (done.left() > 0) {
        log.warn(
            "Re-sealed {} app and {} revision secrets under key {}; {} stored secrets remain under"
                + " other keys ({} open under no configured key: see above), so keep"
                + " slipway.runtime.previous-secret-keys",
            done.apps(),
            done.revisions(),
            box.keyId(),
            done.left(),
            done.unopened());
      } else if (done.apps() + done.revisions() > 0 || box.previousKeys() > 0) {
        log.info(
            "Re-sealed {} app and {} revision secrets under key {}; previous keys may be removed",
            done.apps(),
            done.revisions(),
            box.keyId());
      } else {
        log.info("Every stored secret is sealed under key {}", box.keyId());
      }
    } catch (RuntimeException e) {
      log.warn(
          "Re-sealing the stored secrets under key {} stopped; the next start goes on: {}",
          box.keyId(),
          e.toString());
    }
  }

  /** Re-seals every value that does not name the current key; a second run finds none. */
  Resealed reseal() {
    int before = left();
    if (before > 0) {
      log.info(
          "{} stored secrets are not sealed under key {}: re-sealing them, {} rows a transaction",
          before,
          box.keyId(),
          BATCH);
    }
    Progress progress = new Progress(before);
    Count apps = resealColumn(Column.APP, progress);
    Count revisions = resealColumn(Column.REVISION, progress);
    Count befores = resealColumn(Column.BEFORE, progress);
    Count vms = resealColumn(Column.VM, progress);
    return new Resealed(
        apps.resealed() + vms.resealed(),
        revisions.resealed() + befores.resealed(),
        apps.unopened() + revisions.unopened() + befores.unopened() + vms.unopened(),
        left());
  }

  /** Stored values that do not name the current key. */
  int left() {
    String prefix = box.currentKeyPrefix();
    return jdbc.sql(
            "select (select count(*) from app"
                + "   where secrets is not null and not starts_with(secrets, ?))"
                + " + (select count(*) filter (where secrets is not null"
                + "      and not starts_with(secrets, ?))"
                + "    + count(*) filter (where secrets_before is not null"
                + "      and not starts_with(secrets_before, ?)) from revision)"
                + " + (select count(*) from vm"
                + "   where user_data is not null and not starts_with(user_data, ?))")
        .params(prefix, prefix, prefix, prefix)
        .query(Integer.class)
        .single();
  }

  private Count resealColumn(Column column, Progress progress) {
    int resealed = 0;
    int unopened = 0;
    List<Object> after = null;
    while (true) {
      List<Object> from = after;
      Batch batch = tx.execute(status -> batch(column, from));
      resealed += batch.count().resealed();
      unopened += batch.count().unopened();
      progress.done(batch.count().resealed() + batch.count().unopened());
      if (batch.read() < BATCH) {
        return new Count(resealed, unopened);
      }
      after = batch.lastKey();
    }
  }

  /** The next batch of the column's rows after a key, re-sealed: one transaction. */
  private Batch batch(Column column, List<Object> after) {
    int keys = column.key().size();
    List<Object> params = new ArrayList<>();
    params.add(box.currentKeyPrefix());
    if (after != null) {
      params.addAll(after);
    }
    params.add(BATCH);
    List<List<Object>> rows =
        jdbc.sql(column.select(after != null))
            .params(params)
            .query(
                (rs, row) -> {
                  List<Object> values = new ArrayList<>();
                  for (int i = 1; i <= keys + 1; i++) {
                    values.add(rs.getObject(i));
                  }
                  return values;
                })
            .list();
    int resealed = 0;
    int unopened = 0;
    for (List<Object> row : rows) {
      List<Object> rowKey = row.subList(0, keys);
      String sealed = (String) row.get(keys);
      String context = Column.context(rowKey);
      String again;
      try {
        again = box.seal(box.open(sealed, context), context);
      } catch (IllegalStateException e) {
        unopened++;
        log.warn(
            "The secrets of {} are left as they are: {}", column.describe(rowKey), e.getMessage());
        continue;
      }
      List<Object> update = new ArrayList<>();
      update.add(again);
      update.addAll(rowKey);
      update.add(sealed);
      resealed += jdbc.sql(column.compareAndSet()).params(update).update();
    }
    return new Batch(
        new Count(resealed, unopened),
        rows.size(),
        rows.isEmpty() ? null : rows.getLast().subList(0, keys));
  }

  /** Logs how far a long run is, at most every {@link #PROGRESS_EVERY}. */
  private static final class Progress {
    private final int total;
    private int done;
    private long logged = System.nanoTime();

    Progress(int total) {
      this.total = total;
    }

    void done(int more) {
      done += more;
      if (more > 0 && System.nanoTime() - logged > PROGRESS_EVERY) {
        logged = System.nanoTime();
        log.info("Re-sealing the stored secrets: {} of {} done", done, total);
      }
    }
  }
}
