package io.slipway.build.procfile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What Slipway takes from a repository's {@code app.json} (Heroku's and Dokku's format): its deploy
 * scripts, its web health check, its initial formation and the variables it requires. Parsed by
 * {@link AppJsonParser}; {@link #label()} is what runtime-bridge reads (its {@code AppManifest}).
 *
 * @param predeploy {@code scripts.predeploy} (or {@code scripts.dokku.predeploy}), or null
 * @param postdeploy {@code scripts.postdeploy} (or {@code scripts.dokku.postdeploy}), or null
 * @param formation {@code formation}: process type to {@code quantity}
 * @param requiredEnv the {@code env} entries marked {@code "required": true}
 * @param healthcheck the first HTTP check of {@code healthchecks.web}, or null
 * @param cron {@code cron}: commands on a schedule (runtime-bridge reads the schedules)
 * @param notes what the build log should say of members that are read but not acted on
 */
public record AppJson(
    String predeploy,
    String postdeploy,
    SortedMap<String, Integer> formation,
    SortedSet<String> requiredEnv,
    HealthCheck healthcheck,
    List<Cron> cron,
    List<String> notes) {

  /** The largest app.json read: far more than any real one. */
  public static final int MAX_BYTES = 64 * 1024;

  /** The most instances a formation entry may ask for (as many as one type may run). */
  public static final int MAX_QUANTITY = 100;

  /** The most cron entries (runtime-bridge's {@code AppManifest.MAX_CRON}). */
  public static final int MAX_CRON = 20;

  public AppJson {
    formation = Collections.unmodifiableSortedMap(new TreeMap<>(formation));
    requiredEnv = Collections.unmodifiableSortedSet(new TreeSet<>(requiredEnv));
    cron = List.copyOf(cron);
    notes = List.copyOf(notes);
  }

  /**
   * One {@code cron} entry.
   *
   * @param command one line, run with {@code /bin/sh -c}
   * @param schedule five cron fields as written, checked by runtime-bridge at deploy
   */
  public record Cron(String command, String schedule) {}

  /**
   * A Dokku web health check.
   *
   * @param path the path asked
   * @param content text the body must contain, or null
   * @param timeout seconds one attempt may take
   * @param attempts tries before the deploy fails
   * @param waitSeconds seconds before the first try and between tries
   */
  public record HealthCheck(
      String path, String content, int timeout, int attempts, int waitSeconds) {}

  /** Parses an app.json's bytes (a caller reads at most one more than {@value #MAX_BYTES}). */
  public static AppJson parse(byte[] content) throws AppJsonException {
    return AppJsonParser.parse(content);
  }

  /** Whether nothing in it concerns the runtime. */
  public boolean empty() {
    return predeploy == null
        && postdeploy == null
        && formation.isEmpty()
        && requiredEnv.isEmpty()
        && healthcheck == null
        && cron.isEmpty();
  }

  /**
   * The runtime's part as one JSON object: {@code predeploy}, {@code postdeploy}, {@code formation}
   * (type to count), {@code requiredEnv} (names), {@code healthcheck} and {@code cron} ({@code
   * [{command, schedule}]}), members left out when unset.
   */
  public Map<String, Object> label() {
    Map<String, Object> label = new LinkedHashMap<>();
    if (predeploy != null) {
      label.put("predeploy", predeploy);
    }
    if (postdeploy != null) {
      label.put("postdeploy", postdeploy);
    }
    if (!formation.isEmpty()) {
      label.put("formation", formation);
    }
    if (!requiredEnv.isEmpty()) {
      label.put("requiredEnv", new ArrayList<>(requiredEnv));
    }
    if (healthcheck != null) {
      Map<String, Object> check = new LinkedHashMap<>();
      check.put("path", healthcheck.path());
      if (healthcheck.content() != null) {
        check.put("content", healthcheck.content());
      }
      check.put("timeout", healthcheck.timeout());
      check.put("attempts", healthcheck.attempts());
      check.put("wait", healthcheck.waitSeconds());
      label.put("healthcheck", check);
    }
    if (!cron.isEmpty()) {
      List<Map<String, String>> entries = new ArrayList<>();
      cron.forEach(
          entry -> {
            Map<String, String> one = new LinkedHashMap<>();
            one.put("command", entry.command());
            one.put("schedule", entry.schedule());
            entries.add(one);
          });
      label.put("cron", entries);
    }
    return label;
  }
}
