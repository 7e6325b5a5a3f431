package io.slipway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A browser-like HTTP session for tests: keeps cookies per host (Secure ones too, since tests talk
 * plain HTTP on loopback as browsers allow), and lets a test follow redirects one step at a time to
 * see every hop of a sign-in or sign-out.
 */
public final class HttpSession {

  private final HttpClient client =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final Map<String, Map<String, String>> cookies = new LinkedHashMap<>();

  public HttpResponse<String> get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET(), url);
  }

  /** Posts an HTML form ({@code application/x-www-form-urlencoded}). */
  public HttpResponse<String> postForm(String url, Map<String, String> fields) {
    String body =
        fields.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(BodyPublishers.ofString(body)),
        url);
  }

  /** Follows redirects from {@code response} until a page answers; returns that page. */
  public HttpResponse<String> follow(HttpResponse<String> response) {
    HttpResponse<String> current = response;
    for (int hops = 0; isRedirect(current.statusCode()); hops++) {
      if (hops > 10) {
        throw new IllegalStateException("too many redirects from " + response.uri());
      }
      current = get(location(current));
    }
    return current;
  }

  /** The absolute target of a redirect. */
  public static String location(HttpResponse<String> response) {
    String location =
        response
            .headers()
            .firstValue("Location")
            .orElseThrow(() -> new IllegalStateException("no Location in " + response));
    return response.uri().resolve(location).toString();
  }

  /** The raw {@code Set-Cookie} headers of a response. */
  public static List<String> setCookies(HttpResponse<String> response) {
    return response.headers().allValues("Set-Cookie");
  }

  public boolean hasCookie(String host, String name) {
    return cookies.getOrDefault(host, Map.of()).containsKey(name);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, String url) {
    String host = URI.create(url).getHost() + ":" + URI.create(url).getPort();
    Map<String, String> jar = cookies.computeIfAbsent(host, h -> new LinkedHashMap<>());
    request.header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    if (!jar.isEmpty()) {
      request.header(
          "Cookie",
          jar.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining("; ")));
    }
    try {
      HttpResponse<String> response = client.send(request.build(), BodyHandlers.ofString());
      for (String header : setCookies(response)) {
        String pair = header.split(";", 2)[0];
        int equals = pair.indexOf('=');
        String name = pair.substring(0, equals).strip();
        String value = pair.substring(equals + 1).strip();
        boolean expired = header.toLowerCase(java.util.Locale.ROOT).contains("max-age=0");
        if (value.isEmpty() || expired) {
          jar.remove(name);
        } else {
          jar.put(name, value);
        }
      }
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
