package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of a command's structured output as docs/cli.md writes it: {@code string}, {@code
 * integer}, {@code boolean}, {@code object} (any map), {@code null}, {@code [T]} (an array of T),
 * {@code {name: T, ...}} (exactly these fields), each type followed by {@code ?} when it may be
 * null.
 */
record Shape(String type, boolean nullable, Shape items, Map<String, Shape> fields) {

  static Shape parse(String text) {
    Parser parser = new Parser(text.replace(" ", ""));
    Shape shape = parser.shape();
    if (parser.at != parser.text.length()) {
      throw new IllegalArgumentException("trailing text in " + text + " at " + parser.at);
    }
    return shape;
  }

  /** Fails (AssertionError) unless {@code value} has this shape; {@code where} names it. */
  void check(Object value, String where) {
    if (value == null) {
      assertThat(nullable || type.equals("null")).as(where + " is null").isTrue();
      return;
    }
    switch (type) {
      case "string" -> assertThat(value).as(where).isInstanceOf(String.class);
      case "integer" -> assertThat(value).as(where).isInstanceOfAny(Integer.class, Long.class);
      case "boolean" -> assertThat(value).as(where).isInstanceOf(Boolean.class);
      case "object" -> assertThat(value).as(where).isInstanceOf(Map.class);
      case "null" -> assertThat(value).as(where).isNull();
      case "array" -> {
        assertThat(value).as(where).isInstanceOf(List.class);
        List<?> list = (List<?>) value;
        for (int i = 0; i < list.size(); i++) {
          items.check(list.get(i), where + "[" + i + "]");
        }
      }
      case "record" -> {
        assertThat(value).as(where).isInstanceOf(Map.class);
        Map<?, ?> map = (Map<?, ?>) value;
        List<String> keys = new ArrayList<>();
        map.keySet().forEach(key -> keys.add(String.valueOf(key)));
        assertThat(keys)
            .as(where + ": the fields")
            .containsExactlyInAnyOrderElementsOf(fields.keySet());
        fields.forEach((name, shape) -> shape.check(map.get(name), where + "." + name));
      }
      default -> throw new IllegalStateException(type);
    }
  }

  private static final class Parser {
    private final String text;
    private int at;

    Parser(String text) {
      this.text = text;
    }

    Shape shape() {
      Shape shape;
      if (eat('[')) {
        Shape items = shape();
        expect(']');
        shape = new Shape("array", false, items, Map.of());
      } else if (eat('{')) {
        Map<String, Shape> fields = new LinkedHashMap<>();
        do {
          String name = word();
          expect(':');
          fields.put(name, shape());
        } while (eat(','));
        expect('}');
        shape = new Shape("record", false, null, fields);
      } else {
        String type = word();
        if (!List.of("string", "integer", "boolean", "object", "null").contains(type)) {
          throw new IllegalArgumentException("unknown type " + type + " at " + at + ": " + text);
        }
        shape = new Shape(type, false, null, Map.of());
      }
      return eat('?') ? new Shape(shape.type, true, shape.items, shape.fields) : shape;
    }

    private String word() {
      int start = at;
      while (at < text.length() && Character.isLetterOrDigit(text.charAt(at))) {
        at++;
      }
      if (start == at) {
        throw new IllegalArgumentException("expected a name at " + at + ": " + text);
      }
      return text.substring(start, at);
    }

    private boolean eat(char c) {
      if (at < text.length() && text.charAt(at) == c) {
        at++;
        return true;
      }
      return false;
    }

    private void expect(char c) {
      if (!eat(c)) {
        throw new IllegalArgumentException("expected " + c + " at " + at + ": " + text);
      }
    }
  }
}
