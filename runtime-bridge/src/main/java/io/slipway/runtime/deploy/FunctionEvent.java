package io.slipway.runtime.deploy;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The event a function's handler gets for an HTTP request (the function contract): {@code
 * {"trigger": "http", "method", "path", "query": {name: value}, "headers": {lower-case name:
 * value}, "body"}}, the body parsed when the request says it is JSON, else a string, absent when
 * empty. What the router or this hop adds for itself (hop-by-hop headers, framing, the activator's
 * signed header) is not the tenant's and is left out.
 */
final class FunctionEvent {

  /** Hop-by-hop headers, framing and the router's signed header: this hop's, not the request's. */
  private static final Set<String> LEFT_OUT = leftOut();

  /** At most this many query parameters are passed on; more is a request nobody writes by hand. */
  static final int MAX_QUERY = 100;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private FunctionEvent() {}

  /** Why a request cannot be made into an event: a 400 for the caller. */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message);
    }
  }

  /**
   * The event of this request.
   *
   * @throws Unreadable when the request says its body is JSON but it is not, or has more than
   *     {@link #MAX_QUERY} query parameters
   */
  static ObjectNode http(String method, URI uri, Map<String, List<String>> headers, byte[] body)
      throws Unreadable {
    ObjectNode event = JSON.createObjectNode();
    event.put("trigger", "http");
    event.put("method", method);
    event.put("path", uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath());
    ObjectNode query = event.putObject("query");
    query(uri.getRawQuery()).forEach(query::put);
    ObjectNode named = event.putObject("headers");
    Map<String, String> lower = headers(headers);
    lower.forEach(named::put);
    if (body.length > 0) {
      if (json(lower.get("content-type"))) {
        event.set("body", parsed(body));
      } else {
        event.put("body", new String(body, StandardCharsets.UTF_8));
      }
    }
    return event;
  }

  /** The event of a cron entry that came due. */
  static ObjectNode cron(String schedule, String scheduledAt) {
    ObjectNode event = JSON.createObjectNode();
    event.put("trigger", "cron");
    event.put("schedule", schedule);
    event.put("scheduledAt", scheduledAt);
    return event;
  }

  /**
   * The query's parameters, decoded; a name given twice keeps its first value, a name without
   * {@code =} has the empty value.
   */
  static Map<String, String> query(String raw) throws Unreadable {
    Map<String, String> query = new TreeMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    String[] pairs = raw.split("&");
    if (pairs.length > MAX_QUERY) {
      throw new Unreadable(
          "the query has " + pairs.length + " parameters; a function takes at most " + MAX_QUERY);
    }
    for (String pair : pairs) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        query.putIfAbsent(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
      } catch (IllegalArgumentException e) {
        throw new Unreadable("the query is not URL-encoded: " + e.getMessage());
      }
    }
    return query;
  }

  /** The request's own headers by lower-case name, several values joined with {@code ", "}. */
  static Map<String, String> headers(Map<String, List<String>> headers) {
    Map<String, String> lower = new TreeMap<>();
    headers.forEach(
        (name, values) -> {
          String key = name.toLowerCase(Locale.ROOT);
          if (!LEFT_OUT.contains(key) && values != null && !values.isEmpty()) {
            lower.merge(key, String.join(", ", values), (a, b) -> a + ", " + b);
          }
        });
    return lower;
  }

  private static Set<String> leftOut() {
    Set<String> names = new HashSet<>(Forwarding.HOP);
    names.add(ActivatorEndpoint.HEADER.toLowerCase(Locale.ROOT));
    return Set.copyOf(names);
  }

  private static boolean json(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || type.endsWith("+json");
  }

  private static JsonNode parsed(byte[] body) throws Unreadable {
    try {
      return JSON.readTree(body);
    } catch (JacksonException e) {
      throw new Unreadable(
          "the body is said to be JSON (Content-Type) but is not: " + e.getOriginalMessage());
    }
  }

  private static String decode(String part) {
    return URLDecoder.decode(part, StandardCharsets.UTF_8);
  }
}
