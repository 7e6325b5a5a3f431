package io.slipway.runtime.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The back-off of VMs that are started again after they stopped without being asked (KubeVirt's
 * {@code Always} run strategy): the first restart at once, each further one in a row {@link #FIRST}
 * doubled after the one before it, at most {@link #LONGEST}; a VM that stayed up {@link #STEADY}
 * starts a new row. Kept in memory: a bridge that restarts starts every such VM at once, as a host
 * that booted again would want, and the row counts from there.
 */
@Component
class VmRestarts {

  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration LONGEST = Duration.ofMinutes(5);
  static final Duration STEADY = Duration.ofMinutes(10);

  /**
   * The restarts in a row of one VM.
   *
   * @param count how many, the last one included
   * @param last when the last one was started
   * @param told whether its stop was told in an event while it waits for {@link #due}
   */
  private record Row(int count, Instant last, boolean told) {}

  private final Map<String, Row> rows = new ConcurrentHashMap<>();

  /** When the VM of app {@code appId}, found stopped at {@code now}, may be started again. */
  Instant due(String appId, Instant now) {
    Row row = current(appId, now);
    return row == null ? now : row.last().plus(delay(row.count()));
  }

  /**
   * Marks the stop of a VM that waits for {@link #due} as told in an event; false when it was
   * already (each stop is told once).
   */
  boolean tell(String appId) {
    Row row = rows.get(appId);
    return row != null
        && !row.told()
        && rows.replace(appId, row, new Row(row.count(), row.last(), true));
  }

  /** Whether the VM's stop was told while it waited for {@link #due}. */
  boolean told(String appId) {
    Row row = rows.get(appId);
    return row != null && row.told();
  }

  /**
   * Counts a restart of the VM of app {@code appId} at {@code now}; returns its number in a row.
   */
  int restarted(String appId, Instant now) {
    Row row = current(appId, now);
    int count = row == null ? 1 : row.count() + 1;
    rows.put(appId, new Row(count, now, false));
    return count;
  }

  /** Forgets the VM's row: the API started, stopped or deleted it. */
  void forget(String appId) {
    rows.remove(appId);
  }

  /** How long after the {@code count}th restart in a row the next one may come. */
  static Duration delay(int count) {
    if (count >= 20) {
      return LONGEST;
    }
    Duration delay = FIRST.multipliedBy(1L << (count - 1));
    return delay.compareTo(LONGEST) > 0 ? LONGEST : delay;
  }

  /** The VM's row, null when it has none or stayed up long enough to start a new one. */
  private Row current(String appId, Instant now) {
    Row row = rows.get(appId);
    if (row != null && !row.last().plus(STEADY).isAfter(now)) {
      rows.remove(appId, row);
      return null;
    }
    return row;
  }
}
