package io.slipway.build.procfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an {@code app.json} as a tenant wrote it: strictly (duplicate keys, trailing garbage and
 * members of the wrong type are refused, naming the member), since the file is untrusted and a
 * mistake in it would otherwise show only at deploy time. Members Slipway does not act on ({@code
 * name}, {@code description}, {@code addons}, …) are ignored, those it knows but does not run yet
 * (check types other than HTTP) are noted for the build log. {@code cron} entries are checked for
 * their shape only: runtime-bridge reads their schedules and refuses a deploy whose schedule it
 * cannot read, naming the entry.
 */
final class AppJsonParser {

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_-]{1," + Procfile.MAX_NAME + "}");
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern COMMAND = Pattern.compile("[^\\x00-\\x08\\x0a-\\x1f\\x7f]{1,8192}");
  private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7e]{0,1023}");
  private static final int MAX_ENV = 100;
  private static final Pattern SCHEDULE = Pattern.compile("[\\x20-\\x7e]{1,100}");

  private AppJsonParser() {}

  static AppJson parse(byte[] content) throws AppJsonException {
    if (content.length > AppJson.MAX_BYTES) {
      throw new AppJsonException(
          "app.json is larger than the %,d bytes an app.json may have"
              .formatted(AppJson.MAX_BYTES));
    }
    JsonNode root;
    try {
      root = JSON.readTree(content);
    } catch (JacksonException e) {
      throw new AppJsonException(
          "app.json is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new AppJsonException("app.json must be a JSON object");
    }
    List<String> notes = new ArrayList<>();
    JsonNode scripts = object(root, "scripts");
    JsonNode dokku = scripts == null ? null : object(scripts, "dokku", "scripts.dokku");
    String predeploy = script(scripts, dokku, "predeploy");
    String postdeploy = script(scripts, dokku, "postdeploy");
    return new AppJson(
        predeploy,
        postdeploy,
        formation(object(root, "formation")),
        requiredEnv(object(root, "env")),
        healthcheck(object(root, "healthchecks"), notes),
        cron(root.get("cron")),
        notes);
  }

  private static String script(JsonNode scripts, JsonNode dokku, String name)
      throws AppJsonException {
    String plain = scripts == null ? null : command(scripts.get(name), "scripts." + name);
    String own = dokku == null ? null : command(dokku.get(name), "scripts.dokku." + name);
    if (plain != null && own != null) {
      throw new AppJsonException(
          "app.json declares both scripts." + name + " and scripts.dokku." + name + ": keep one");
    }
    return plain != null ? plain : own;
  }

  private static String command(JsonNode node, String where) throws AppJsonException {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()
        || !COMMAND.matcher(node.asString()).matches()
        || node.asString().isBlank()) {
      throw new AppJsonException(
          "app.json: " + where + " must be a command of one line (at most 8,192 characters)");
    }
    return node.asString();
  }

  private static SortedMap<String, Integer> formation(JsonNode formation) throws AppJsonException {
    SortedMap<String, Integer> counts = new TreeMap<>();
    if (formation == null) {
      return counts;
    }
    if (formation.size() > Procfile.MAX_TYPES) {
      throw new AppJsonException(
          "app.json: formation names more than " + Procfile.MAX_TYPES + " process types");
    }
    for (Map.Entry<String, JsonNode> entry : formation.properties()) {
      String type = entry.getKey();
      if (!TYPE.matcher(type).matches()) {
        throw new AppJsonException(
            "app.json: formation names a process type that is not 1 to "
                + Procfile.MAX_NAME
                + " letters, digits, '_' or '-'");
      }
      if (!entry.getValue().isObject()) {
        throw new AppJsonException(
            "app.json: formation." + type + " must be an object such as {\"quantity\": 1}");
      }
      JsonNode quantity = entry.getValue().get("quantity");
      if (quantity == null || quantity.isNull()) {
        continue; // Heroku allows a size alone; the count stays as it is
      }
      if (!quantity.isIntegralNumber()
          || quantity.asLong() < 0
          || quantity.asLong() > AppJson.MAX_QUANTITY) {
        throw new AppJsonException(
            "app.json: formation."
                + type
                + ".quantity must be a whole number from 0 to "
                + AppJson.MAX_QUANTITY);
      }
      counts.put(type, quantity.asInt());
    }
    return counts;
  }

  private static SortedSet<String> requiredEnv(JsonNode env) throws AppJsonException {
    SortedSet<String> required = new TreeSet<>();
    if (env == null) {
      return required;
    }
    if (env.size() > MAX_ENV) {
      throw new AppJsonException("app.json: env declares more than " + MAX_ENV + " variables");
    }
    for (Map.Entry<String, JsonNode> entry : env.properties()) {
      String name = entry.getKey();
      if (!VARIABLE.matcher(name).matches()) {
        throw new AppJsonException(
            "app.json: env names a variable that is not letters, digits and '_' (not starting"
                + " with a digit, at most 128 characters)");
      }
      JsonNode value = entry.getValue();
      if (value.isString()) {
        continue; // a default value: not applied, nothing required
      }
      if (!value.isObject()) {
        throw new AppJsonException("app.json: env." + name + " must be a string or an object");
      }
      JsonNode flag = value.get("required");
      if (flag != null && !flag.isNull() && !flag.isBoolean()) {
        throw new AppJsonException("app.json: env." + name + ".required must be true or false");
      }
      if (flag != null && flag.asBoolean()) {
        required.add(name);
      }
    }
    return required;
  }

  private static AppJson.HealthCheck healthcheck(JsonNode healthchecks, List<String> notes)
      throws AppJsonException {
    if (healthchecks == null || healthchecks.get("web") == null) {
      return null;
    }
    JsonNode web = healthchecks.get("web");
    if (!web.isArray()) {
      throw new AppJsonException("app.json: healthchecks.web must be a list of checks");
    }
    AppJson.HealthCheck first = null;
    for (int i = 0; i < web.size(); i++) {
      JsonNode check = web.get(i);
      String where = "healthchecks.web[" + i + "]";
      if (!check.isObject()) {
        throw new AppJsonException("app.json: " + where + " must be an object");
      }
      JsonNode type = check.get("type");
      if (type != null && !type.isNull() && !type.isString()) {
        throw new AppJsonException("app.json: " + where + ".type must be a string");
      }
      JsonNode path = check.get("path");
      boolean startup = type == null || type.isNull() || "startup".equals(type.asString());
      if (!startup || path == null || path.isNull()) {
        notes.add(
            "app.json: "
                + where
                + " is not used (only HTTP startup checks with a path are run at deploy)");
        continue;
      }
      if (!path.isString() || !PATH.matcher(path.asString()).matches()) {
        throw new AppJsonException(
            "app.json: " + where + ".path must start with / and hold no spaces");
      }
      JsonNode content = check.get("content");
      if (content != null
          && !content.isNull()
          && (!content.isString() || content.asString().length() > 1024)) {
        throw new AppJsonException(
            "app.json: " + where + ".content must be a string of at most 1,024 characters");
      }
      AppJson.HealthCheck read =
          new AppJson.HealthCheck(
              path.asString(),
              content == null || content.isNull() || content.asString().isEmpty()
                  ? null
                  : content.asString(),
              whole(check, "timeout", where, 5, 1, 120),
              whole(check, "attempts", where, 5, 1, 100),
              whole(check, "wait", where, 1, 0, 60));
      if (first == null) {
        first = read;
      } else {
        notes.add("app.json: " + where + " is not used (the first web check is)");
      }
    }
    return first;
  }

  private static List<AppJson.Cron> cron(JsonNode cron) throws AppJsonException {
    List<AppJson.Cron> entries = new ArrayList<>();
    if (cron == null || cron.isNull()) {
      return entries;
    }
    if (!cron.isArray() || cron.size() > AppJson.MAX_CRON) {
      throw new AppJsonException(
          "app.json: cron must be a list of at most " + AppJson.MAX_CRON + " entries");
    }
    for (int i = 0; i < cron.size(); i++) {
      JsonNode entry = cron.get(i);
      String where = "cron[" + i + "]";
      if (!entry.isObject()) {
        throw new AppJsonException(
            "app.json: "
                + where
                + " must be an object such as {\"command\": \"...\","
                + " \"schedule\": \"*/10 * * * *\"}");
      }
      String command = command(entry.get("command"), where + ".command");
      if (command == null) {
        throw new AppJsonException("app.json: " + where + ".command is missing");
      }
      JsonNode schedule = entry.get("schedule");
      if (schedule == null
          || !schedule.isString()
          || !SCHEDULE.matcher(schedule.asString()).matches()) {
        throw new AppJsonException(
            "app.json: "
                + where
                + ".schedule must be a cron schedule such as \"*/10 * * * *\" (at most 100"
                + " characters)");
      }
      entries.add(new AppJson.Cron(command, schedule.asString()));
    }
    return entries;
  }

  private static int whole(
      JsonNode check, String name, String where, int fallback, int min, int max)
      throws AppJsonException {
    JsonNode value = check.get(name);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
      throw new AppJsonException(
          "app.json: " + where + "." + name + " must be a whole number from " + min + " to " + max);
    }
    return value.asInt();
  }

  private static JsonNode object(JsonNode parent, String name) throws AppJsonException {
    return object(parent, name, name);
  }

  private static JsonNode object(JsonNode parent, String name, String where)
      throws AppJsonException {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new AppJsonException("app.json: " + where + " must be a JSON object");
    }
    return node;
  }
}
