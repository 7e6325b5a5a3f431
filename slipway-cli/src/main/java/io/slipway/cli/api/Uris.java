package io.slipway.cli.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Paths built from templates: each {@code {}} takes the next value, percent-encoded as one path
 * segment, so a name can never add a segment, a query or a fragment.
 */
public final class Uris {

  private Uris() {}

  /** {@code path("/tenants/{}/projects/{}", "acme", "web")}: {@code /tenants/acme/projects/web}. */
  public static String path(String template, Object... values) {
    StringBuilder out = new StringBuilder();
    int next = 0;
    int from = 0;
    int hole;
    while ((hole = template.indexOf("{}", from)) >= 0) {
      if (next >= values.length) {
        throw new IllegalArgumentException("too few values for " + template);
      }
      out.append(template, from, hole).append(segment(String.valueOf(values[next++])));
      from = hole + 2;
    }
    if (next != values.length) {
      throw new IllegalArgumentException("too many values for " + template);
    }
    return out.append(template.substring(from)).toString();
  }

  /** A query string ({@code ?a=1&b=2}) from the entries whose value is not null. */
  public static String query(Map<String, ?> parameters) {
    String query =
        parameters.entrySet().stream()
            .filter(e -> e.getValue() != null)
            .map(e -> form(e.getKey()) + "=" + form(String.valueOf(e.getValue())))
            .collect(Collectors.joining("&"));
    return query.isEmpty() ? "" : "?" + query;
  }

  /**
   * {@link #query(Map)} of names and values, alternating: {@code query("size", 200, "page", null)}.
   */
  public static String query(Object... namesAndValues) {
    Map<String, Object> parameters = new java.util.LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      parameters.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return query(parameters);
  }

  /** Percent-encodes everything but RFC 3986's unreserved characters. */
  public static String segment(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        if (c == '.' && (value.equals(".") || value.equals(".."))) {
          out.append("%2E");
        } else {
          out.append((char) c);
        }
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  /** {@code application/x-www-form-urlencoded} encoding of one value. */
  public static String form(String value) {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
