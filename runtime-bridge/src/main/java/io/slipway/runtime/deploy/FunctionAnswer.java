package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a function's invocation answers its caller, made from the runtime's answer to {@code POST
 * /run} (the function contract), and what its activation records. A result object with an integer
 * {@code statusCode} is a web response ({@code statusCode}, {@code headers} of strings, {@code
 * body} a string or JSON); any other result is 200 with the result as JSON; the handler's error is
 * 502 and a timeout 504, both problem details. The runtime's answer is the tenant's code speaking:
 * every part of it is bounded and checked before it reaches the caller or the database.
 *
 * @param status the activation's status: {@code success}, {@code error} or {@code timeout}
 * @param httpStatus what the caller gets
 * @param headers the response's headers (besides the activation id)
 * @param body the response's body
 * @param resultBytes the size of the handler's result as JSON (0 when it returned none)
 * @param error the handler's error, bounded, or null
 * @param logs the lines the handler wrote, bounded, joined with newlines
 */
record FunctionAnswer(
    String status,
    int httpStatus,
    Map<String, String> headers,
    byte[] body,
    long resultBytes,
    String error,
    String logs) {

  static final String SUCCESS = "success";
  static final String ERROR = "error";
  static final String TIMEOUT = "timeout";

  /** The longest error message kept and shown. */
  static final int MAX_ERROR = 4096;

  /** The log lines kept of one invocation, and their bytes, as the runtime bounds them too. */
  static final int MAX_LOG_LINES = 1_000;

  static final int MAX_LOG_BYTES = 64 * 1024;

  /** The headers a web response may set. */
  static final int MAX_HEADERS = 100;

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");
  private static final Pattern VALUE = Pattern.compile("[\\t\\x20-\\x7e\\x80-\\xff]{0,8192}");

  /** Set by this hop (framing, the connection) or by the invoker itself. */
  private static final Set<String> NOT_SETTABLE = notSettable();

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The caller's response for the runtime's answer {@code answer}. */
  static FunctionAnswer of(JsonNode answer, int timeoutSeconds) {
    String logs = logs(answer.path("logs"));
    String status = answer.path("status").isString() ? answer.path("status").asString() : "";
    JsonNode result = answer.path("result");
    return switch (status) {
      case SUCCESS -> success(result.isMissingNode() ? JSON.nullNode() : result, logs);
      case ERROR -> {
        String error =
            bounded(
                answer.path("error").isString()
                    ? answer.path("error").asString()
                    : "the handler failed without a message");
        yield problem(
            ERROR,
            Problem.upstream("function-failed", "The function failed: " + error),
            error,
            logs);
      }
      case TIMEOUT -> timedOut(timeoutSeconds, logs);
      default ->
          runtimeFailed(
              "the function's runtime answered a status that is not success, error or timeout",
              logs);
    };
  }

  /** The handler did not finish within the app's limit (or its runtime never answered). */
  static FunctionAnswer timedOut(int timeoutSeconds, String logs) {
    return problem(
        TIMEOUT,
        new Problem(
            HttpStatus.GATEWAY_TIMEOUT,
            "function-timeout",
            "Function timed out",
            "The function did not finish within its time limit of "
                + timeoutSeconds
                + " s; its instance is restarted. Raise the limit with PUT .../function"
                + " {\"timeoutSeconds\": n} (1 to 300) if it needs longer"),
        "timed out after " + timeoutSeconds + " s",
        logs);
  }

  /** The runtime did not speak the protocol (it died, or answered something else). */
  static FunctionAnswer runtimeFailed(String why, String logs) {
    String error = bounded(why);
    return problem(
        ERROR,
        Problem.upstream(
            "function-runtime-failed",
            "The function's runtime did not answer as it should: "
                + error
                + ". Its instance is restarted; see the app's logs"),
        error,
        logs);
  }

  private static FunctionAnswer success(JsonNode result, String logs) {
    byte[] json = JSON.writeValueAsBytes(result);
    JsonNode code = result.path("statusCode");
    if (result.isObject() && code.isIntegralNumber()) {
      int statusCode = code.asInt();
      if (statusCode < 200 || statusCode > 599) {
        return runtimeFailed(
            "the handler's statusCode " + statusCode + " is not from 200 to 599", logs);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      JsonNode given = result.path("headers");
      if (given.isObject()) {
        for (Map.Entry<String, JsonNode> header : given.properties()) {
          String why = unsettable(header.getKey(), header.getValue());
          if (why != null) {
            return runtimeFailed("the handler's header " + why, logs);
          }
          headers.put(header.getKey(), header.getValue().asString());
        }
        if (headers.size() > MAX_HEADERS) {
          return runtimeFailed("the handler set more than " + MAX_HEADERS + " headers", logs);
        }
      }
      JsonNode body = result.path("body");
      byte[] bytes;
      if (body.isMissingNode() || body.isNull()) {
        bytes = new byte[0];
      } else if (body.isString()) {
        bytes = body.asString().getBytes(StandardCharsets.UTF_8);
      } else {
        bytes = JSON.writeValueAsBytes(body);
        if (headers.keySet().stream().noneMatch(n -> n.equalsIgnoreCase("content-type"))) {
          headers.put("Content-Type", "application/json");
        }
      }
      return new FunctionAnswer(SUCCESS, statusCode, headers, bytes, json.length, null, logs);
    }
    return new FunctionAnswer(
        SUCCESS,
        200,
        Map.of("Content-Type", "application/json"),
        json,
        result.isNull() ? 0 : json.length,
        null,
        logs);
  }

  private static Set<String> notSettable() {
    Set<String> names = new HashSet<>(Forwarding.HOP);
    names.add("date");
    names.add(Invoker.ACTIVATION_HEADER.toLowerCase(Locale.ROOT));
    return Set.copyOf(names);
  }

  /** Why the handler may not set this header, or null when it may. */
  private static String unsettable(String name, JsonNode value) {
    if (!TOKEN.matcher(name).matches()) {
      return "name is not a header name";
    }
    if (NOT_SETTABLE.contains(name.toLowerCase(Locale.ROOT))) {
      return name + " is set by the platform";
    }
    if (!value.isString() || !VALUE.matcher(value.asString()).matches()) {
      return name + " is not a string of at most 8192 printable characters";
    }
    return null;
  }

  private static FunctionAnswer problem(String status, Problem problem, String error, String logs) {
    byte[] body = JSON.writeValueAsBytes(problem.toMap());
    return new FunctionAnswer(
        status,
        problem.status().value(),
        Map.of("Content-Type", "application/problem+json"),
        body,
        0,
        error,
        logs);
  }

  /** The lines, at most {@link #MAX_LOG_LINES} and {@link #MAX_LOG_BYTES}, then what was cut. */
  static String logs(JsonNode lines) {
    if (!lines.isArray()) {
      return "";
    }
    StringBuilder kept = new StringBuilder();
    int keptLines = 0;
    int bytes = 0;
    for (JsonNode line : lines) {
      String text = line.isString() ? line.asString() : line.toString();
      int size = text.getBytes(StandardCharsets.UTF_8).length + 1;
      // room kept for the last line saying what was cut
      if (keptLines == MAX_LOG_LINES || bytes + size > MAX_LOG_BYTES - 64) {
        kept.append("… ").append(lines.size() - keptLines).append(" more lines not kept\n");
        break;
      }
      kept.append(storable(text)).append('\n');
      keptLines++;
      bytes += size;
    }
    return kept.toString();
  }

  private static String bounded(String text) {
    return storable(text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR) + "…");
  }

  /**
   * PostgreSQL's text cannot hold NUL: a handler's line carrying one would fail the batch its
   * activation is written in.
   */
  private static String storable(String text) {
    return text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
  }
}
