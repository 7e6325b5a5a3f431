package io.slipway.build.worker;

import io.slipway.build.procfile.AppJson;
import io.slipway.build.procfile.ProcessType;
import io.slipway.build.procfile.Procfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;

/**
 * The image label that hands a Procfile's process types to the runtime: {@value #NAME}, a JSON
 * object of process type to command in the file's order, which runtime-bridge reads from the image
 * it deploys to run the types other than {@code web}. It is set next to the {@code CMD}, before the
 * app's files are copied, so a warm build still commits one new layer.
 */
final class ProcfileLabel {

  /** The label's name (runtime-bridge's {@code ProcessTypes.LABEL}). */
  static final String NAME = "io.slipway.procfile";

  /** The app.json label's name (runtime-bridge's {@code AppManifest.LABEL}). */
  static final String APP_JSON = "io.slipway.app-json";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ProcfileLabel() {}

  /**
   * The {@code LABEL} line. The value is single-quoted, so buildah takes it literally (it expands
   * {@code $VAR} in a {@code LABEL}, but not between single quotes, and a backslash escapes nothing
   * there); the JSON inside holds only printable ASCII and no single quote (both escaped as {@code
   * \\uXXXX}), so no command can end the quotes or the line.
   */
  static String line(Procfile procfile) {
    StringBuilder json = new StringBuilder("{");
    for (ProcessType type : procfile.processes()) {
      if (json.length() > 1) {
        json.append(',');
      }
      string(json, type.name()).append(':');
      string(json, type.command());
    }
    return "LABEL " + NAME + "='" + json.append('}') + "'";
  }

  /**
   * The {@code LABEL} line of an app.json's runtime part ({@link AppJson#label()}), quoted as the
   * Procfile's: outside its strings the JSON holds only ASCII punctuation, digits and letters, so
   * escaping every character that is not printable ASCII or is a single quote keeps it valid JSON.
   */
  static String line(AppJson appJson) {
    String json = JSON.writeValueAsString(appJson.label());
    StringBuilder quoted = new StringBuilder();
    for (char c : json.toCharArray()) {
      if (c >= 0x20 && c < 0x7f && c != '\'') {
        quoted.append(c);
      } else {
        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      }
    }
    return "LABEL " + APP_JSON + "='" + quoted + "'";
  }

  /**
   * The generated Containerfile with the label right after its last {@code CMD} (the run stage's),
   * or at its end when it has none.
   */
  static String addTo(String containerfile, Procfile procfile) {
    return addTo(containerfile, List.of(line(procfile)));
  }

  /** The generated Containerfile with these {@code LABEL} lines where {@link #addTo} puts one. */
  static String addTo(String containerfile, List<String> labels) {
    if (labels.isEmpty()) {
      return containerfile;
    }
    List<String> lines = new ArrayList<>(containerfile.lines().toList());
    int cmd = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("CMD ")) {
        cmd = i;
      }
    }
    lines.addAll(cmd < 0 ? lines.size() : cmd + 1, labels);
    return String.join("\n", lines) + "\n";
  }

  private static StringBuilder string(StringBuilder json, String value) {
    json.append('"');
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f && c != '\'') {
        json.append(c);
      } else {
        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      }
    }
    return json.append('"');
  }
}
