package io.slipway.runtime.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an image's {@value #LABEL} label says of how the app is deployed: the part of its {@code
 * app.json} (Heroku's and Dokku's format) the runtime acts on, as build-service wrote it (a
 * tenant's own Containerfile may write it too, so it is read as untrusted). The label is a JSON
 * object with these optional members:
 *
 * <pre>{@code
 * {"predeploy": "<command>", "postdeploy": "<command>",
 *  "formation": {"<type>": <count>}, "requiredEnv": ["<NAME>"],
 *  "healthcheck": {"path": "/", "content": "ok", "timeout": 5, "attempts": 3, "wait": 1},
 *  "cron": [{"command": "<command>", "schedule": "0 3 * * *"}]}
 * }</pre>
 *
 * @param predeploy {@code scripts.predeploy}: run before the new revision takes traffic, or null
 * @param postdeploy {@code scripts.postdeploy}: run once it took the traffic, or null
 * @param formation {@code formation}: initial counts by process type (first deploy only)
 * @param requiredEnv names of {@code env} entries marked {@code required}
 * @param healthcheck the first of {@code healthchecks.web}, or null
 * @param cron {@code cron}: commands run on a schedule, at most {@value #MAX_CRON}, none twice
 */
public record AppManifest(
    String predeploy,
    String postdeploy,
    SortedMap<String, Integer> formation,
    SortedSet<String> requiredEnv,
    HealthCheck healthcheck,
    List<CronEntry> cron) {

  /** The image label build-service writes from a repository's {@code app.json}. */
  public static final String LABEL = "io.slipway.app-json";

  /** The longest label read (build-service writes far less). */
  public static final int MAX_LABEL = 64 * 1024;

  /** The most required variables (as many as an app may have). */
  public static final int MAX_REQUIRED = EnvRules.MAX_VARIABLES;

  /** The most cron entries an app may have. */
  public static final int MAX_CRON = 20;

  /** Nothing declared. */
  public static final AppManifest NONE =
      new AppManifest(
          null, null, Collections.emptySortedMap(), Collections.emptySortedSet(), null, List.of());

  private static final JsonMapper JSON = JsonMapper.builder().build();

  public AppManifest {
    formation = Collections.unmodifiableSortedMap(new TreeMap<>(formation));
    requiredEnv = Collections.unmodifiableSortedSet(new TreeSet<>(requiredEnv));
    cron = List.copyOf(cron);
  }

  /**
   * A Dokku health check of the web type.
   *
   * @param path the path asked, starting with {@code /}
   * @param content text the answer's body must contain, or null
   * @param timeoutSeconds how long one attempt may take
   * @param attempts how many attempts, every {@code waitSeconds}, before the revision fails
   * @param waitSeconds the pause before the first attempt and between attempts
   */
  public record HealthCheck(
      String path, String content, int timeoutSeconds, int attempts, int waitSeconds) {}

  /** The variables {@link #requiredEnv} names that neither {@code env} nor {@code secrets} set. */
  public SortedSet<String> missing(Map<String, String> env, Map<String, String> secrets) {
    SortedSet<String> missing = new TreeSet<>(requiredEnv);
    missing.removeIf(name -> env.containsKey(name) || secrets.containsKey(name));
    return missing;
  }

  /** The one-off commands of a deploy, in order, before the switch: predeploy, then release. */
  public List<ReleaseStep> before(String release) {
    List<ReleaseStep> steps = new ArrayList<>();
    if (predeploy != null) {
      steps.add(new ReleaseStep("predeploy", predeploy));
    }
    if (release != null) {
      steps.add(new ReleaseStep(ProcessTypes.RELEASE, release));
    }
    return steps;
  }

  /** One one-off command of a deploy: its phase name and command. */
  public record ReleaseStep(String phase, String command) {}

  /**
   * Reads the label; {@link #NONE} without it.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static AppManifest fromLabels(Map<String, String> labels) {
    String label = labels == null ? null : labels.get(LABEL);
    if (label == null || label.isBlank()) {
      return NONE;
    }
    if (label.length() > MAX_LABEL) {
      throw invalid("is longer than " + MAX_LABEL + " characters");
    }
    JsonNode json;
    try {
      json = JSON.readTree(label);
    } catch (JacksonException e) {
      throw invalid("is not JSON");
    }
    if (!json.isObject()) {
      throw invalid("is not a JSON object");
    }
    return new AppManifest(
        command(json, "predeploy"),
        command(json, "postdeploy"),
        formation(json.path("formation")),
        required(json.path("requiredEnv")),
        healthcheck(json.path("healthcheck")),
        cron(json.path("cron")));
  }

  private static String command(JsonNode json, String name) {
    JsonNode node = json.path(name);
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isString() || !ProcessTypes.validCommand(node.asString())) {
      throw invalid("gives " + name + " no command of one line");
    }
    return node.asString();
  }

  private static SortedMap<String, Integer> formation(JsonNode node) {
    SortedMap<String, Integer> counts = new TreeMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return counts;
    }
    if (!node.isObject() || node.size() > ProcessTypes.MAX_TYPES) {
      throw invalid("has a formation that is not an object of process types to counts");
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      JsonNode count = entry.getValue();
      if (!ProcessTypes.validName(entry.getKey())
          || !count.isIntegralNumber()
          || count.asLong() < 0
          || count.asLong() > ProcessTypes.MAX_COUNT) {
        throw invalid(
            "has a formation entry that is not a process type with a count of 0 to "
                + ProcessTypes.MAX_COUNT);
      }
      counts.put(entry.getKey(), count.asInt());
    }
    return counts;
  }

  private static SortedSet<String> required(JsonNode node) {
    SortedSet<String> names = new TreeSet<>();
    if (node.isMissingNode() || node.isNull()) {
      return names;
    }
    if (!node.isArray() || node.size() > MAX_REQUIRED) {
      throw invalid("has a requiredEnv that is not a list of at most " + MAX_REQUIRED + " names");
    }
    for (JsonNode name : node) {
      if (!name.isString() || !EnvRules.validName(name.asString())) {
        throw invalid("requires a variable whose name is not a valid environment variable name");
      }
      names.add(name.asString());
    }
    return names;
  }

  private static HealthCheck healthcheck(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw invalid("has a healthcheck that is not an object");
    }
    JsonNode path = node.path("path");
    if (!path.isString()
        || !path.asString().startsWith("/")
        || path.asString().length() > 1024
        || !path.asString().matches("[\\x21-\\x7e]+")) {
      throw invalid("has a healthcheck path that is not an absolute path of printable characters");
    }
    JsonNode content = node.path("content");
    if (!content.isMissingNode()
        && !content.isNull()
        && (!content.isString() || content.asString().length() > 1024)) {
      throw invalid("has a healthcheck content that is not a string of at most 1024 characters");
    }
    return new HealthCheck(
        path.asString(),
        content.isString() && !content.asString().isEmpty() ? content.asString() : null,
        seconds(node, "timeout", 5, 1, 120),
        seconds(node, "attempts", 5, 1, 100),
        seconds(node, "wait", 1, 0, 60));
  }

  /**
   * The cron entries, each named by its place and schedule when it is refused: a deploy whose
   * app.json has a schedule that cannot be read is refused as a whole, before anything runs.
   */
  private static List<CronEntry> cron(JsonNode node) {
    List<CronEntry> entries = new ArrayList<>();
    if (node.isMissingNode() || node.isNull()) {
      return entries;
    }
    if (!node.isArray() || node.size() > MAX_CRON) {
      throw invalid("has a cron that is not a list of at most " + MAX_CRON + " entries");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode entry = node.get(i);
      String where = "cron entry " + (i + 1);
      if (!entry.isObject()) {
        throw invalid("has a " + where + " that is not an object {command, schedule}");
      }
      JsonNode schedule = entry.path("schedule");
      if (!schedule.isString()) {
        throw invalid("has a " + where + " without a schedule");
      }
      where += " (\"" + printable(schedule.asString()) + "\")";
      JsonNode command = entry.path("command");
      if (!command.isString() || !ProcessTypes.validCommand(command.asString())) {
        throw invalid("has a " + where + " without a command of one line");
      }
      CronSchedule parsed;
      try {
        parsed = CronSchedule.parse(schedule.asString());
      } catch (IllegalArgumentException e) {
        throw invalid("has a " + where + " whose schedule " + e.getMessage());
      }
      CronEntry read = new CronEntry(parsed, command.asString());
      if (!seen.add(read.id())) {
        throw invalid("has a " + where + " that repeats an earlier entry");
      }
      entries.add(read);
    }
    return entries;
  }

  /** A schedule as a message may quote it: short, and nothing that is not printable ASCII. */
  private static String printable(String text) {
    String cut = text.length() > CronSchedule.MAX_LENGTH ? text.substring(0, 40) + "..." : text;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static int seconds(JsonNode node, String name, int fallback, int min, int max) {
    JsonNode value = node.path(name);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
      throw invalid(
          "has a healthcheck " + name + " that is not a whole number " + min + " to " + max);
    }
    return value.asInt();
  }

  private static IllegalArgumentException invalid(String what) {
    return new IllegalArgumentException("the image's " + LABEL + " label " + what);
  }
}
