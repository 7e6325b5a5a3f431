package io.slipway.kit.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problem details written where no controller advice runs: servlet filters, the error page and the
 * servlet container's own refusals (a malformed URL never reaches Spring).
 */
public final class ProblemResponses {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ProblemResponses() {}

  /** The problem's JSON: a stable {@code type}, a title, the status and a detail. */
  public static String json(int status, String slug, String detail) {
    HttpStatus known = HttpStatus.resolve(status);
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "https://slipway.io/problems/" + (slug == null ? slugOf(status) : slug));
    problem.put("title", known == null ? "Error" : known.getReasonPhrase());
    problem.put("status", status);
    problem.put("detail", detail);
    return JSON.writeValueAsString(problem);
  }

  public static void write(HttpServletResponse response, int status, String slug, String detail)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(json(status, slug, detail));
  }

  /** A detail a user can act on for a status that carries no message of ours. */
  public static String detailFor(int status) {
    return switch (status) {
      case 400 ->
          "The request is malformed: its path may not hold encoded separators (%2F, %5C), dot"
              + " segments, control characters or NUL";
      case 404 -> "Nothing is served at this path";
      case 405 -> "This path does not accept that method";
      case 413 -> "The request body is too large";
      default -> {
        HttpStatus known = HttpStatus.resolve(status);
        yield known == null ? "The request failed" : known.getReasonPhrase();
      }
    };
  }

  static String slugOf(int status) {
    HttpStatus known = HttpStatus.resolve(status);
    return known == null
        ? "http-" + status
        : known.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
