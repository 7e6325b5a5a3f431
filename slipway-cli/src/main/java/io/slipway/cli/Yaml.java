package io.slipway.cli;

import io.slipway.cli.api.Json;
import java.util.List;
import java.util.Map;

/** YAML for maps, lists and scalars; strings are written as JSON strings (valid YAML). */
final class Yaml {

  private Yaml() {}

  static String write(Object tree) {
    StringBuilder out = new StringBuilder();
    write(out, tree, 0, false);
    return out.toString().stripTrailing();
  }

  private static void write(StringBuilder out, Object value, int indent, boolean inline) {
    String pad = "  ".repeat(indent);
    if (value instanceof Map<?, ?> map && !map.isEmpty()) {
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.append(first && inline ? "" : pad)
            .append(key(String.valueOf(entry.getKey())))
            .append(':');
        first = false;
        Object child = entry.getValue();
        if (nested(child)) {
          out.append('\n');
          write(out, child, indent + 1, false);
        } else {
          out.append(' ').append(scalar(child)).append('\n');
        }
      }
    } else if (value instanceof List<?> list && !list.isEmpty()) {
      for (Object item : list) {
        out.append(pad).append("- ");
        if (nested(item)) {
          write(out, item, indent + 1, true);
        } else {
          out.append(scalar(item)).append('\n');
        }
      }
    } else {
      out.append(inline ? "" : pad).append(scalar(value)).append('\n');
    }
  }

  private static boolean nested(Object value) {
    return (value instanceof Map<?, ?> map && !map.isEmpty())
        || (value instanceof List<?> list && !list.isEmpty());
  }

  private static String key(String key) {
    return key.matches("[A-Za-z_][A-Za-z0-9_.-]*") ? key : scalar(key);
  }

  private static String scalar(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?>) {
      return "{}";
    }
    if (value instanceof List<?>) {
      return "[]";
    }
    if (value instanceof String s) {
      StringBuilder quoted = new StringBuilder();
      Json.quote(quoted, s);
      return quoted.toString();
    }
    return String.valueOf(value);
  }
}
