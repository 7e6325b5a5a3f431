package io.slipway.function.runtime;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON as Maps, Lists, Strings, Numbers, Booleans and null: the event in, the result out. */
final class Json {

  /** Deeper than this is refused both ways: a hostile body or a cyclic result, not a stack overflow. */
  private static final int MAX_DEPTH = 512;

  private final String text;
  private int at;

  private Json(String text) {
    this.text = text;
  }

  /** Not JSON the runtime can read or write, with what is wrong. */
  static final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    JsonException(String message) {
      super(message);
    }
  }

  static Object read(String text) throws JsonException {
    Json json = new Json(text);
    Object value = json.value(0);
    json.space();
    if (json.at < text.length()) {
      throw json.fail("unexpected text after the value");
    }
    return value;
  }

  private Object value(int depth) throws JsonException {
    if (depth > MAX_DEPTH) {
      throw fail("nested deeper than " + MAX_DEPTH + " levels");
    }
    space();
    if (at >= text.length()) {
      throw fail("unexpected end of input");
    }
    char c = text.charAt(at);
    if (c == '{') {
      Map<String, Object> map = new LinkedHashMap<>();
      at++;
      if (skip('}')) {
        return map;
      }
      do {
        space();
        if (at >= text.length() || text.charAt(at) != '"') {
          throw fail("expected a string key");
        }
        String key = string();
        expect(':');
        map.put(key, value(depth + 1));
      } while (skip(','));
      expect('}');
      return map;
    }
    if (c == '[') {
      List<Object> list = new ArrayList<>();
      at++;
      if (skip(']')) {
        return list;
      }
      do {
        list.add(value(depth + 1));
      } while (skip(','));
      expect(']');
      return list;
    }
    if (c == '"') {
      return string();
    }
    for (String word : new String[] {"true", "false", "null"}) {
      if (text.startsWith(word, at)) {
        at += word.length();
        return word.equals("null") ? null : Boolean.valueOf(word);
      }
    }
    return number();
  }

  private Object number() throws JsonException {
    int start = at;
    if (at < text.length() && text.charAt(at) == '-') {
      at++;
    }
    while (at < text.length() && "0123456789.eE+-".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    String number = text.substring(start, at);
    if (!number.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
      at = start;
      throw fail("unexpected character");
    }
    if (number.matches("-?[0-9]+")) {
      BigInteger integer = new BigInteger(number);
      return integer.bitLength() < 64 ? (Object) integer.longValue() : integer;
    }
    return Double.parseDouble(number);
  }

  private String string() throws JsonException {
    StringBuilder out = new StringBuilder();
    at++;
    while (at < text.length()) {
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw fail("a control character in a string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at >= text.length()) {
        break;
      }
      char e = text.charAt(at++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (at + 4 > text.length()) {
            throw fail("a short \\u escape");
          }
          try {
            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
          } catch (NumberFormatException ex) {
            throw fail("a bad \\u escape");
          }
          at += 4;
        }
        default -> throw fail("a bad escape \\" + e);
      }
    }
    throw fail("an unterminated string");
  }

  private void space() {
    while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
  }

  private boolean skip(char c) {
    space();
    if (at < text.length() && text.charAt(at) == c) {
      at++;
      return true;
    }
    return false;
  }

  private void expect(char c) throws JsonException {
    if (!skip(c)) {
      throw fail("expected '" + c + "'");
    }
  }

  private JsonException fail(String what) {
    return new JsonException(what + " at offset " + at);
  }

  /** {@code value} as JSON, or what in it JSON cannot hold. */
  static String write(Object value) throws JsonException {
    StringBuilder out = new StringBuilder();
    write(value, out, 0);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out, int depth) throws JsonException {
    if (depth > MAX_DEPTH) {
      throw new JsonException("nested deeper than " + MAX_DEPTH + " levels (a cycle?)");
    }
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      quote(s, out);
    } else if (value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new JsonException("the number " + d + " (JSON has no NaN or infinity)");
      }
      out.append(value);
    } else if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte
        || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof BigDecimal b) {
      out.append(b.toString());
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      String comma = "";
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          throw new JsonException("a Map key of type " + typeOf(entry.getKey()));
        }
        out.append(comma);
        quote(key, out);
        out.append(':');
        write(entry.getValue(), out, depth + 1);
        comma = ",";
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      String comma = "";
      for (Object item : list) {
        out.append(comma);
        write(item, out, depth + 1);
        comma = ",";
      }
      out.append(']');
    } else {
      throw new JsonException(
          "a " + typeOf(value) + " (return a Map, List, String, Number, Boolean or null)");
    }
  }

  private static String typeOf(Object value) {
    return value == null ? "null" : value.getClass().getName();
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder();
    quote(s, out);
    return out.toString();
  }

  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
