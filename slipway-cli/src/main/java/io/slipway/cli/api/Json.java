package io.slipway.cli.api;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for the CLI: a small reader into maps, lists, strings, numbers, booleans and null, a writer,
 * and the mapping of objects onto records by their components (fields the record does not name are
 * ignored, so new fields in the services' answers never break the CLI). Written here rather than
 * taken from Jackson to keep the command's start-up and runtime small.
 */
public final class Json {

  /** Deeper nesting is refused: a hostile answer must not overflow the reader's stack. */
  static final int MAX_DEPTH = 200;

  private final String text;
  private int at;
  private int depth;

  private Json(String text) {
    this.text = text;
  }

  /** Parses a JSON document; a malformed one is an {@link IllegalArgumentException}. */
  public static Object parse(String text) {
    Json json = new Json(text);
    json.space();
    Object value = json.value();
    json.space();
    if (json.at != text.length()) {
      throw json.error("trailing characters");
    }
    return value;
  }

  /** The object's fields, or an empty map when the value is not an object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  private Object value() {
    if (at >= text.length()) {
      throw error("unexpected end");
    }
    char c = text.charAt(at);
    return switch (c) {
      case '{' -> objectValue();
      case '[' -> arrayValue();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> number();
    };
  }

  private Map<String, Object> objectValue() {
    enter();
    Map<String, Object> map = new LinkedHashMap<>();
    at++;
    space();
    if (peek('}')) {
      depth--;
      return map;
    }
    do {
      space();
      String key = string();
      space();
      expect(':');
      space();
      map.put(key, value());
      space();
    } while (consume(','));
    expect('}');
    depth--;
    return map;
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
  }

  private List<Object> arrayValue() {
    enter();
    List<Object> list = new ArrayList<>();
    at++;
    space();
    if (peek(']')) {
      depth--;
      return list;
    }
    do {
      space();
      list.add(value());
      space();
    } while (consume(','));
    expect(']');
    depth--;
    return list;
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      char escaped = text.charAt(at++);
      switch (escaped) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case '"', '\\', '/' -> out.append(escaped);
        case 'u' -> out.append(unicodeEscape());
        default -> throw error("bad escape \\" + escaped);
      }
    }
  }

  /** The four (ASCII) hex digits of a unicode escape. */
  private char unicodeEscape() {
    if (at + 4 > text.length()) {
      throw error("bad \\u escape");
    }
    int code = 0;
    for (int i = 0; i < 4; i++) {
      char c = text.charAt(at + i);
      int digit = c < 0x80 ? Character.digit(c, 16) : -1;
      if (digit < 0) {
        throw error("bad \\u escape");
      }
      code = code * 16 + digit;
    }
    at += 4;
    return (char) code;
  }

  private Object number() {
    int start = at;
    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    String digits = text.substring(start, at);
    if (digits.isEmpty()) {
      throw error("unexpected character");
    }
    if (digits.contains(".") || digits.contains("e") || digits.contains("E")) {
      return Double.parseDouble(digits);
    }
    return Long.parseLong(digits);
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, at)) {
      throw error("unexpected character");
    }
    at += word.length();
    return value;
  }

  private void space() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private boolean peek(char c) {
    if (at < text.length() && text.charAt(at) == c) {
      at++;
      return true;
    }
    return false;
  }

  private boolean consume(char c) {
    return peek(c);
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("malformed JSON at " + at + ": " + what);
  }

  /** Writes maps, lists, records, strings, numbers, booleans and null as JSON. */
  public static String write(Object value, boolean pretty) {
    StringBuilder out = new StringBuilder();
    write(out, tree(value), pretty ? 0 : -1);
    return out.toString();
  }

  private static void write(StringBuilder out, Object value, int indent) {
    String newline = indent < 0 ? "" : "\n" + "  ".repeat(indent + 1);
    String close = indent < 0 ? "" : "\n" + "  ".repeat(indent);
    int inner = indent < 0 ? -1 : indent + 1;
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      String separator = "";
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.append(separator).append(newline);
        quote(out, String.valueOf(entry.getKey()));
        out.append(indent < 0 ? ":" : ": ");
        write(out, entry.getValue(), inner);
        separator = ",";
      }
      out.append(close).append('}');
    } else if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      String separator = "";
      for (Object item : list) {
        out.append(separator).append(newline);
        write(out, item, inner);
        separator = ",";
      }
      out.append(close).append(']');
    } else if (value instanceof String s) {
      quote(out, s);
    } else {
      out.append(value);
    }
  }

  /** Appends {@code s} as a JSON string. */
  public static void quote(StringBuilder out, String s) {
    out.append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * The value as plain maps, lists and scalars: records become maps of their components in
   * declaration order.
   */
  public static Object tree(Object value) {
    if (value instanceof Record record) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        try {
          java.lang.reflect.Method accessor = component.getAccessor();
          accessor.setAccessible(true);
          map.put(component.getName(), tree(accessor.invoke(record)));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      return map;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), tree(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(Json::tree).toList();
    }
    return value;
  }

  /**
   * A request body: the value as {@link #tree} gives it, without the top-level fields that are null
   * (a field not given keeps the service's default; nulls inside, such as a secret being removed,
   * stay).
   */
  public static Object present(Object value) {
    Object tree = tree(value);
    if (tree instanceof Map<?, ?> map) {
      map.values().removeIf(java.util.Objects::isNull);
    }
    return tree;
  }

  /** Maps a parsed JSON object onto a record: by component name, ignoring unknown fields. */
  public static <R extends Record> R read(Object json, Class<R> type) {
    Map<String, Object> fields = object(json);
    RecordComponent[] components = type.getRecordComponents();
    Object[] arguments = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      arguments[i] = convert(fields.get(components[i].getName()), components[i].getGenericType());
    }
    try {
      Constructor<R> constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
      return constructor.newInstance(arguments);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
    }
  }

  /** Maps a parsed JSON array of objects onto a list of records. */
  public static <R extends Record> List<R> readList(Object json, Class<R> type) {
    List<R> list = new ArrayList<>();
    if (json instanceof List<?> items) {
      items.forEach(item -> list.add(read(item, type)));
    }
    return list;
  }

  /** A number the answer must hold where its document says so. */
  private static Number number(Object value) {
    if (value instanceof Number n) {
      return n;
    }
    throw new IllegalArgumentException("the service answered " + value + " where a number belongs");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object convert(Object value, Type type) {
    Class<?> raw =
        type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    if (raw == int.class) {
      return value instanceof Number n ? n.intValue() : 0;
    }
    if (raw == long.class) {
      return value instanceof Number n ? n.longValue() : 0L;
    }
    if (raw == boolean.class) {
      return Boolean.TRUE.equals(value);
    }
    if (value == null) {
      return raw == List.class ? List.of() : raw == Map.class ? Map.of() : null;
    }
    if (raw == Integer.class) {
      return number(value).intValue();
    }
    if (raw == Long.class) {
      return number(value).longValue();
    }
    if (raw == Double.class) {
      return number(value).doubleValue();
    }
    if (raw == String.class) {
      return String.valueOf(value);
    }
    if (raw.isRecord()) {
      return read(value, (Class<Record>) raw);
    }
    if (raw == List.class && type instanceof ParameterizedType p) {
      Type item = p.getActualTypeArguments()[0];
      return ((List<?>) value).stream().map(v -> convert(v, item)).toList();
    }
    if (raw == Map.class && type instanceof ParameterizedType p) {
      Type item = p.getActualTypeArguments()[1];
      Map<String, Object> map = new LinkedHashMap<>();
      ((Map<String, Object>) value).forEach((k, v) -> map.put(k, convert(v, item)));
      return map;
    }
    return value;
  }
}
