package io.slipway.runtime.model;

import io.slipway.kit.validation.Limits;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a process type of a Procfile may be, as the runtime reads it from an image's {@value #LABEL}
 * label (build-service writes it; a tenant's own Containerfile may too, so its content is untrusted
 * here). Names are Heroku's: letters, digits, {@code _} and {@code -}, at most {@value #MAX_NAME}
 * characters, so that a name can be part of a container name and never of anything else.
 */
public final class ProcessTypes {

  /** The image label holding the Procfile: a JSON object, process type to command. */
  public static final String LABEL = "io.slipway.procfile";

  /** The process type that serves HTTP: it runs the image's own command and gets the route. */
  public static final String WEB = "web";

  /** The release phase's type: run once per deploy before the switch, never as a process. */
  public static final String RELEASE = "release";

  /** The longest process type name (as build-service's Procfile parser allows). */
  public static final int MAX_NAME = 63;

  /** The most process types an image may declare (as a Procfile may). */
  public static final int MAX_TYPES = 100;

  /** The longest command (a Procfile line is short; this bounds what a hostile label can hold). */
  public static final int MAX_COMMAND = 8192;

  /** The most instances of one process type. */
  public static final int MAX_COUNT = 100;

  /** A process type's name. */
  public static final String NAME = "[A-Za-z0-9_-]{1," + MAX_NAME + "}";

  private static final Pattern NAME_PATTERN = Pattern.compile(NAME);

  /** A command: one line, no control characters but tabs. */
  private static final Pattern COMMAND = Pattern.compile("[^\\x00-\\x08\\x0a-\\x1f\\x7f]+");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ProcessTypes() {}

  /** Whether {@code name} may name a process type. */
  public static boolean validName(String name) {
    return name != null && NAME_PATTERN.matcher(name).matches();
  }

  /** The longest command a developer may run as a one-off run. */
  public static final int MAX_RUN_COMMAND = Limits.RUN_COMMAND_MAX;

  /**
   * What a developer may run as a one-off run: 1 to {@value #MAX_RUN_COMMAND} characters, not
   * blank, without NUL (several lines are fine: {@code /bin/sh -c} gets it as one argument).
   */
  public static boolean validRunCommand(String command) {
    return command != null
        && !command.isBlank()
        && command.length() <= MAX_RUN_COMMAND
        && command.indexOf('\0') < 0;
  }

  /** Whether {@code command} may be a process type's command. */
  public static boolean validCommand(String command) {
    return command != null
        && !command.isBlank()
        && command.length() <= MAX_COMMAND
        && COMMAND.matcher(command).matches();
  }

  /**
   * The process types an image's labels declare that run as processes of their own: every type but
   * {@value #WEB} (the image's own command) and {@value #RELEASE}; empty without the label.
   *
   * @throws IllegalArgumentException when the label is not a JSON object of valid names to valid
   *     commands, saying what is wrong
   */
  public static SortedMap<String, String> fromLabels(Map<String, String> labels) {
    SortedMap<String, String> types = new TreeMap<>(declared(labels));
    types.remove(WEB);
    types.remove(RELEASE);
    return Collections.unmodifiableSortedMap(types);
  }

  /**
   * The {@value #RELEASE} command the image's Procfile label declares (run once per deploy, before
   * the new revision takes traffic), or null.
   *
   * @throws IllegalArgumentException when the label is invalid, as {@link #fromLabels} says
   */
  public static String release(Map<String, String> labels) {
    return declared(labels).get(RELEASE);
  }

  /** Every type the label declares, validated. */
  private static SortedMap<String, String> declared(Map<String, String> labels) {
    String label = labels == null ? null : labels.get(LABEL);
    if (label == null || label.isBlank()) {
      return Collections.emptySortedMap();
    }
    JsonNode json;
    try {
      json = JSON.readTree(label);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("the image's " + LABEL + " label is not JSON");
    }
    if (!json.isObject()) {
      throw new IllegalArgumentException(
          "the image's " + LABEL + " label must be a JSON object of process types to commands");
    }
    if (json.size() > MAX_TYPES) {
      throw new IllegalArgumentException(
          "the image's " + LABEL + " label declares more than " + MAX_TYPES + " process types");
    }
    SortedMap<String, String> types = new TreeMap<>();
    for (Map.Entry<String, JsonNode> entry : json.properties()) {
      String name = entry.getKey();
      if (!validName(name)) {
        throw new IllegalArgumentException(
            "the image's "
                + LABEL
                + " label names a process type that is not 1 to "
                + MAX_NAME
                + " letters, digits, '_' or '-'");
      }
      JsonNode command = entry.getValue();
      if (!command.isString() || !validCommand(command.asString())) {
        throw new IllegalArgumentException(
            "the image's "
                + LABEL
                + " label gives process type "
                + name
                + " no command of one line of at most "
                + MAX_COMMAND
                + " characters");
      }
      types.put(name, command.asString());
    }
    return types;
  }
}
