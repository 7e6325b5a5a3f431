package io.slipway.runtime.router;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the router answers when no app does: a host without a route gets 404 "no app here", and an
 * app whose instances refuse the dial (stopped a moment ago, failed, still starting) gets 503 "not
 * running" with {@code Retry-After}, never Caddy's empty 200 or bare 502; an app the router knows
 * is not running (never deployed, starting, failed, crashed, stopped, scaled to zero) gets a 503
 * page saying which ({@link Parked}) and linking its page in the portal ({@link AppLinks}). Each is
 * an HTML page for a browser (its {@code Accept} names {@code text/html}) and one line of text
 * otherwise.
 *
 * <p>The pages are fixed platform text: nothing of the request (host, path, headers) goes in, so a
 * crafted request cannot inject markup, and no page names an app, project or tenant but the app
 * whose own host already names them (in its link). Caddy replaces {@code {placeholders}} in a
 * {@code static_response} body, so no page may contain a brace.
 */
final class RouterPages {

  /** Seconds a client is told to wait before asking a not-running app again. */
  static final int RETRY_AFTER_SECONDS = 5;

  static final String NOT_FOUND_TEXT =
      "No app is served at this address. Check the address; if the app is yours, check that it is"
          + " deployed and running.\n";

  static final String NOT_RUNNING_TEXT =
      "This app is not running right now: it is stopped, still starting, or failing to start."
          + " Try again in a moment; if the app is yours, check its status and logs.\n";

  static final String NOT_FOUND_HTML =
      page(
          "No app here",
          "No app is served at this address.",
          "Check the address; if the app is yours, check that it is deployed and running.");

  static final String NOT_RUNNING_HTML =
      page(
          "App not running",
          "This app is not running right now.",
          "It is stopped, still starting, or failing to start. Try again in a moment; if the app is"
              + " yours, check its status and logs.");

  private RouterPages() {}

  /** The server's last route: every host no app route matched gets the 404 page. */
  static Map<String, Object> catchAll(String id) {
    Map<String, Object> route = new LinkedHashMap<>();
    route.put("@id", id);
    route.put("handle", List.of(negotiated(404, Map.of(), NOT_FOUND_HTML, NOT_FOUND_TEXT)));
    route.put("terminal", true);
    return route;
  }

  /**
   * The server's error routes: a reverse proxy that reached no instance (502, or 503 with no
   * upstream left) answers the 503 page. An app's own 502 or 503 is a response, not an error, and
   * passes through untouched.
   */
  static Map<String, Object> errors() {
    Map<String, Object> route = new LinkedHashMap<>();
    route.put("match", List.of(Map.of("expression", "{http.error.status_code} in [502, 503]")));
    route.put("handle", List.of(notRunning()));
    route.put("terminal", true);
    return Map.of("routes", List.of(route));
  }

  /** The handler answering the generic 503 page, for the error routes. */
  static Map<String, Object> notRunning() {
    return negotiated(
        503,
        Map.of("Retry-After", List.of(Integer.toString(RETRY_AFTER_SECONDS))),
        NOT_RUNNING_HTML,
        NOT_RUNNING_TEXT);
  }

  /**
   * The handler answering a parked app's 503 page, saying why ({@link Parked}) and, when given,
   * linking the app's page in the portal. Only a transient state carries {@code Retry-After}.
   */
  static Map<String, Object> parked(Parked why, Optional<String> appPage) {
    Map<String, List<String>> headers =
        why.isTransient()
            ? Map.of("Retry-After", List.of(Integer.toString(RETRY_AFTER_SECONDS)))
            : Map.of();
    return negotiated(503, headers, parkedHtml(why, appPage), parkedText(why, appPage));
  }

  static String parkedHtml(Parked why, Optional<String> appPage) {
    String owner =
        appPage
            .map(
                link ->
                    "If the app is yours, its page shows its status and logs: <a href=\""
                        + escape(link)
                        + "\">"
                        + escape(link)
                        + "</a>")
            .orElse("If the app is yours, its page in the portal shows its status and logs.");
    return page(why.title(), why.headline(), why.detail() + "</p>\n<p>" + owner);
  }

  static String parkedText(Parked why, Optional<String> appPage) {
    String owner =
        appPage
            .map(link -> "If the app is yours, its page shows its status and logs: " + link)
            .orElse("If the app is yours, its page in the portal shows its status and logs.");
    String text = why.headline() + " " + why.detail() + " " + owner + "\n";
    if (text.indexOf('{') >= 0 || text.indexOf('}') >= 0) {
      throw new IllegalStateException("a router page must not contain a brace: " + why);
    }
    return text;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }

  /** A subroute answering {@code html} to a browser and {@code text} to anything else. */
  private static Map<String, Object> negotiated(
      int status, Map<String, List<String>> headers, String html, String text) {
    Map<String, Object> browser = new LinkedHashMap<>();
    browser.put("match", List.of(Map.of("header", Map.of("Accept", List.of("*text/html*")))));
    browser.put("handle", List.of(answer(status, headers, "text/html; charset=utf-8", html)));
    browser.put("terminal", true);
    Map<String, Object> other = new LinkedHashMap<>();
    other.put("handle", List.of(answer(status, headers, "text/plain; charset=utf-8", text)));
    return Map.of("handler", "subroute", "routes", List.of(browser, other));
  }

  private static Map<String, Object> answer(
      int status, Map<String, List<String>> extra, String type, String body) {
    Map<String, List<String>> headers = new LinkedHashMap<>(extra);
    headers.put("Content-Type", List.of(type));
    // A host that has no app now may have one in a minute: nothing may keep this answer.
    headers.put("Cache-Control", List.of("no-store"));
    headers.put("X-Content-Type-Options", List.of("nosniff"));
    Map<String, Object> handler = new LinkedHashMap<>();
    handler.put("handler", "static_response");
    handler.put("status_code", status);
    handler.put("headers", headers);
    handler.put("body", body);
    return handler;
  }

  private static String page(String title, String headline, String detail) {
    String html =
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<title>"
            + title
            + "</title></head>\n"
            + "<body style=\"font-family: system-ui, sans-serif; max-width: 40rem;"
            + " margin: 4rem auto; padding: 0 1rem; color: #222\">\n"
            + "<h1 style=\"font-size: 1.4rem\">"
            + headline
            + "</h1>\n<p>"
            + detail
            + "</p>\n<p style=\"color: #777; font-size: 0.9rem\">Slipway</p>\n</body></html>\n";
    if (html.indexOf('{') >= 0 || html.indexOf('}') >= 0) {
      throw new IllegalStateException("a router page must not contain a brace: " + title);
    }
    return html;
  }
}
