package io.slipway.cli;

import io.slipway.cli.api.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints answers as a table for people, or as JSON or YAML for scripts ({@code --output}): JSON and
 * YAML show every field of the answer, the table the columns a command chose. On a terminal, the
 * text of tables, messages and log lines comes from servers and tenants' apps: control characters
 * are stripped from it, so that an app's log line cannot send the viewer's terminal escape or OSC
 * sequences (JSON and YAML write them escaped; error messages on standard error are always
 * stripped, see {@link Main}).
 */
final class Output {

  enum Format {
    table,
    json,
    yaml
  }

  private final PrintWriter out;
  private final Format format;
  private final boolean color;
  private final boolean terminal;

  Output(PrintWriter out, Format format, boolean color, boolean terminal) {
    this.out = out;
    this.format = format;
    this.color = color;
    this.terminal = terminal;
  }

  Format format() {
    return format;
  }

  /** A list of records, as rows with the given columns (record components). */
  void list(List<?> items, String... columns) {
    if (format != Format.table) {
      structured(items);
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>();
    for (String column : columns) {
      header.add(column.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT));
    }
    for (Object item : items) {
      Map<String, Object> fields = Json.object(Json.tree(item));
      List<String> row = new ArrayList<>();
      for (String column : columns) {
        row.add(shown(cell(fields.get(column)), false));
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      out.println("(none)");
      out.flush();
      return;
    }
    int[] widths = new int[columns.length];
    for (List<String> row : concat(header, rows)) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    printRow(header, widths, true);
    rows.forEach(row -> printRow(row, widths, false));
    out.flush();
  }

  /** One record, as {@code field: value} lines with the given fields. */
  void one(Object item, String... fields) {
    if (format != Format.table) {
      structured(item);
      return;
    }
    Map<String, Object> values = Json.object(Json.tree(item));
    int width = 0;
    for (String field : fields) {
      width = Math.max(width, field.length());
    }
    for (String field : fields) {
      out.println(bold(pad(field + ":", width + 1)) + " " + shown(cell(values.get(field)), false));
    }
    out.flush();
  }

  /** A message for people; in JSON and YAML, {@code value} instead. */
  void message(String text, Object value) {
    if (format == Format.table) {
      out.println(shown(text, true));
    } else {
      structured(value);
    }
    out.flush();
  }

  /** A line of streamed output (logs), whatever the format. */
  void line(String text) {
    out.println(shown(text, true));
    out.flush();
  }

  private String shown(String text, boolean lines) {
    return terminal ? printable(text, lines) : text;
  }

  /**
   * {@code text} without C0 and C1 control characters (nor DEL), but for tabs, and newlines when
   * {@code lines} (text of several lines; a table cell is one).
   */
  static String printable(String text, boolean lines) {
    StringBuilder kept = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control =
          (c < 0x20 || (c >= 0x7f && c <= 0x9f)) && c != '\t' && !(lines && c == '\n');
      if (control && kept == null) {
        kept = new StringBuilder(text.length()).append(text, 0, i);
      } else if (!control && kept != null) {
        kept.append(c);
      }
    }
    return kept == null ? text : kept.toString();
  }

  void structured(Object value) {
    Object tree = Json.tree(value);
    out.println(format == Format.yaml ? Yaml.write(tree) : Json.write(tree, true));
    out.flush();
  }

  private void printRow(List<String> row, int[] widths, boolean header) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < row.size(); i++) {
      String cell = i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i]) + "  ";
      line.append(cell);
    }
    String text = line.toString().stripTrailing();
    out.println(header ? bold(text) : text);
  }

  private String bold(String text) {
    return color ? "\033[1m" + text + "\033[0m" : text;
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(Math.max(0, width - text.length()));
  }

  private static String cell(Object value) {
    if (value == null) {
      return "-";
    }
    if (value instanceof List<?> list) {
      return list.isEmpty() ? "-" : String.join(",", list.stream().map(String::valueOf).toList());
    }
    return String.valueOf(value);
  }

  private static List<List<String>> concat(List<String> header, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>(rows);
    all.add(header);
    return all;
  }
}
