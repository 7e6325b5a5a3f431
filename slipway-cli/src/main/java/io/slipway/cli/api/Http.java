package io.slipway.cli.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * One service's HTTP API on the JDK's {@link HttpURLConnection} (its first call costs a tenth of
 * {@code java.net.http}'s, which matters for a command that starts for every call). JSON in and
 * out; errors become {@link ApiException}s with the service's problem detail. A call refused with
 * 401 is retried once with a {@linkplain Bearer#renewed() renewed} token when there is one.
 */
public final class Http {

  /** Where the bearer token comes from. */
  public interface Bearer {
    /** The token to send now; null sends none. */
    String current();

    /** A new token after the current one was refused (e.g. refreshed), or null when none. */
    default String renewed() {
      return null;
    }
  }

  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int READ_TIMEOUT_MS = 120_000;
  // the server's answer comes within the read timeout, with room for the trip
  private static final int PREFER_WAIT_SECONDS = 110;

  private final String service;
  private final String baseUrl;
  private final Bearer bearer;

  public Http(String service, String baseUrl, Bearer bearer) {
    this.service = service;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.bearer = bearer;
  }

  public String baseUrl() {
    return baseUrl;
  }

  public Object get(String path) {
    return json("GET", path, null);
  }

  public Object post(String path, Object body) {
    return json("POST", path, body);
  }

  /**
   * A post answered as soon as the server has started what it asks for ({@code Prefer:
   * respond-async}, RFC 7240: a one-off run, whose end is read afterwards).
   */
  public Object postRespondAsync(String path, Object body) {
    return json("POST", path, body, READ_TIMEOUT_MS, "respond-async");
  }

  /**
   * A post answered once the change it asks for is done, as the server prefers to hold its answer
   * that long ({@code Prefer: wait}, RFC 7240: a deploy's rollout), within this client's read
   * timeout; a server that is not done by then answers with the change under way (202).
   */
  public Object postAwaitingDone(String path, Object body) {
    return awaitingDone("POST", path, body);
  }

  /** {@link #postAwaitingDone} for a PUT (a new configuration, rolled out before the answer). */
  public Object putAwaitingDone(String path, Object body) {
    return awaitingDone("PUT", path, body);
  }

  private Object awaitingDone(String method, String path, Object body) {
    return json(method, path, body, READ_TIMEOUT_MS, "wait=" + PREFER_WAIT_SECONDS);
  }

  public Object put(String path, Object body) {
    return json("PUT", path, body);
  }

  public Object delete(String path) {
    return json("DELETE", path, null);
  }

  private Object json(String method, String path, Object body) {
    return json(method, path, body, READ_TIMEOUT_MS);
  }

  private Object json(String method, String path, Object body, int readTimeoutMs) {
    return json(method, path, body, readTimeoutMs, null);
  }

  private Object json(String method, String path, Object body, int readTimeoutMs, String prefer) {
    String payload = body == null ? null : Json.write(body, false);
    String token = bearer.current();
    Answer answer =
        exchange(method, path, "application/json", payload, token, readTimeoutMs, prefer);
    if (answer.status() == 401 && token != null) {
      String renewed = bearer.renewed();
      if (renewed != null) {
        answer =
            exchange(method, path, "application/json", payload, renewed, readTimeoutMs, prefer);
      }
    }
    if (answer.status() >= 400) {
      throw ApiException.of(service, answer.status(), answer.body());
    }
    if (answer.status() >= 300) {
      throw redirected(answer.status(), baseUrl + path, answer.location());
    }
    if (answer.body().isBlank()) {
      return null;
    }
    try {
      return Json.parse(answer.body());
    } catch (IllegalArgumentException notJson) {
      throw new ApiException(
          answer.status(),
          "not-json",
          service + " at " + baseUrl + " did not answer JSON; is the URL right?");
    }
  }

  /**
   * Redirects are not followed (a bearer token must not travel to wherever a server points): an
   * answer that redirects is a wrong URL, and the message says where it pointed.
   */
  private ApiException redirected(int status, String url, String location) {
    return new ApiException(
        status,
        "redirected",
        service
            + " at "
            + url
            + " answered "
            + status
            + " redirecting to "
            + (location == null ? "nowhere" : location)
            + "; give the final URL at login");
  }

  /** A form post without a bearer token (the identity provider's endpoints). */
  public Answer postForm(String path, String form) {
    return exchange(
        "POST", path, "application/x-www-form-urlencoded", form, null, READ_TIMEOUT_MS, null);
  }

  /** A status, body and {@code Location} header (null when none), whatever the status. */
  public record Answer(int status, String body, String location) {}

  private Answer exchange(
      String method,
      String path,
      String contentType,
      String payload,
      String token,
      int readTimeoutMs,
      String prefer) {
    String url = baseUrl + path;
    try {
      HttpURLConnection connection = open(method, url, token);
      connection.setReadTimeout(readTimeoutMs);
      if (prefer != null) {
        connection.setRequestProperty("Prefer", prefer);
      }
      if (payload != null) {
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", contentType);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(payload.getBytes(StandardCharsets.UTF_8));
        }
      }
      int status = connection.getResponseCode();
      InputStream stream =
          status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      String text = stream == null ? "" : new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      return new Answer(status, text, connection.getHeaderField("Location"));
    } catch (IOException e) {
      throw ApiException.unreachable(service, baseUrl, e);
    }
  }

  /**
   * Reads a Server-Sent Events stream, handing each event's name and data to {@code events} until
   * the server ends it.
   */
  public void events(String path, BiConsumer<String, String> events) {
    String token = bearer.current();
    String url = baseUrl + path;
    try {
      HttpURLConnection connection = open("GET", url, token);
      connection.setRequestProperty("Accept", "text/event-stream");
      connection.setReadTimeout(0);
      int status = connection.getResponseCode();
      if (status == 401 && token != null && bearer.renewed() != null) {
        connection = open("GET", url, bearer.current());
        connection.setRequestProperty("Accept", "text/event-stream");
        connection.setReadTimeout(0);
        status = connection.getResponseCode();
      }
      if (status >= 400) {
        InputStream error = connection.getErrorStream();
        throw ApiException.of(
            service,
            status,
            error == null ? "" : new String(error.readAllBytes(), StandardCharsets.UTF_8));
      }
      if (status >= 300) {
        throw redirected(status, url, connection.getHeaderField("Location"));
      }
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
        read(reader, events);
      }
    } catch (IOException e) {
      throw ApiException.unreachable(service, baseUrl, e);
    }
  }

  static void read(BufferedReader reader, BiConsumer<String, String> events) throws IOException {
    String name = "message";
    StringBuilder data = null;
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          events.accept(name, data.toString());
        }
        name = "message";
        data = null;
      } else if (line.startsWith("event:")) {
        name = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        String value = line.substring(5);
        value = value.startsWith(" ") ? value.substring(1) : value;
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      }
    }
    if (data != null) {
      events.accept(name, data.toString());
    }
  }

  private HttpURLConnection open(String method, String url, String token) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
    connection.setRequestMethod(method);
    connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
    connection.setReadTimeout(READ_TIMEOUT_MS);
    connection.setInstanceFollowRedirects(false);
    connection.setRequestProperty("Accept", "application/json, application/problem+json");
    connection.setRequestProperty("User-Agent", "slipway-cli");
    if (token != null) {
      connection.setRequestProperty("Authorization", "Bearer " + token);
    }
    return connection;
  }
}
