package io.slipway.runtime.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One {@code cron} entry of an app's {@code app.json}: a command run on a schedule as a one-off
 * container of the app's live revision.
 *
 * @param schedule when it comes due (five cron fields, UTC)
 * @param command what {@code /bin/sh -c} runs, one line
 */
public record CronEntry(CronSchedule schedule, String command) {

  /**
   * The entry's stable name: the first 12 hex digits of the SHA-256 of its schedule and command, as
   * Dokku names its cron entries. A redeploy that keeps an entry keeps its id, so its last runs
   * stay with it; an entry whose schedule or command changed is a new entry.
   */
  public String id() {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest((schedule.text() + "\n" + command).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
