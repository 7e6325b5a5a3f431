package io.slipway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One bad-input suite for every service's API: oversized bodies (with and without a length), huge
 * and negative page numbers and sizes, floats and huge numbers where integers belong, newlines in
 * names and values, and traversal or encoded separators in path segments. Every answer must be a
 * 4xx RFC 9457 problem ({@code application/problem+json}), never a 500, a container's HTML error
 * page or an out-of-memory; and the service still answers afterwards.
 *
 * <p>A service's test class extends this and says where its API is and what its requests look like;
 * the cases themselves are the same for every service.
 */
public interface BadInputSuite {

  /** A JSON request: method, path (from the API's root), body (or null) and extra headers. */
  record Call(String method, String path, String body, Map<String, String> headers) {
    public Call(String method, String path, String body) {
      this(method, path, body, Map.of());
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** Segments a caller may put into a path to escape or confuse routing. */
  List<String> EVIL_SEGMENTS =
      List.of("..", "%2e%2e", "%2E%2E", ".%2e", "%2F", "a%2Fb", "%2e", "a%5Cb", "%00", "a%0Ab");

  /** The service's root URL, e.g. {@code http://127.0.0.1:8081}. */
  String apiUrl();

  /** A bearer token that may call every request below (a tenant's developer or admin). */
  String token();

  /** The largest request body the service accepts, in bytes. */
  int maxBodyBytes();

  /** Requests that take a JSON body; each is sent with a body over the limit. */
  List<Call> bodyCalls();

  /** Lists that take {@code page} and {@code size}: paths without a query string. */
  List<String> pagedPaths();

  /** Requests whose body holds a float or a huge number where an integer belongs. */
  List<Call> nonIntegerCalls();

  /** Requests whose body holds a newline (or another control character) in a name or value. */
  List<Call> newlineCalls();

  /** Paths with one segment a caller chooses, {@code %s} standing for it. */
  List<String> segmentPaths();

  /** A request the service must answer 200 after all of the above: it is still up. */
  String livenessPath();

  @AfterEach
  default void stillAnswers() {
    HttpResponse<String> alive = send(new Call("GET", livenessPath(), null), null, true);
    assertThat(alive.statusCode()).as("GET " + livenessPath() + " afterwards").isEqualTo(200);
  }

  @Test
  default void bodiesOverTheLimitAre413WithOrWithoutALength() {
    String big = oversized();
    List<String> wrong = new ArrayList<>();
    for (Call call : bodyCalls()) {
      check(wrong, call + " (with length)", send(call, big, true), 413);
      check(wrong, call + " (chunked)", send(call, big, false), 413);
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  default void pageNumbersAndSizesOutOfBoundsAre4xx() {
    List<String> wrong = new ArrayList<>();
    for (String path : pagedPaths()) {
      for (String query :
          List.of(
              "page=-1",
              "page=99999999999999999999",
              "page=1.5",
              "size=0",
              "size=100000",
              "size=2147483648",
              "size=1e3")) {
        String url = path + (path.contains("?") ? "&" : "?") + query;
        check(wrong, "GET " + url, send(new Call("GET", url, null), null, true), 0);
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  default void floatsAndHugeNumbersWhereIntegersBelongAre400() {
    List<String> wrong = new ArrayList<>();
    for (Call call : nonIntegerCalls()) {
      check(wrong, call + " " + call.body(), send(call, call.body(), true), 0);
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  default void newlinesInNamesAndValuesAre4xx() {
    List<String> wrong = new ArrayList<>();
    for (Call call : newlineCalls()) {
      check(wrong, call + " " + call.body(), send(call, call.body(), true), 0);
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  default void traversalAndEncodedSeparatorsInPathSegmentsAre4xx() {
    List<String> wrong = new ArrayList<>();
    for (String template : segmentPaths()) {
      for (String segment : EVIL_SEGMENTS) {
        String path = template.formatted(segment);
        for (String method : List.of("GET", "DELETE")) {
          check(wrong, method + " " + path, send(new Call(method, path, null), null, true), 0);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** A JSON object with one string member, just over the limit. */
  private String oversized() {
    return "{\"name\":\"" + "a".repeat(maxBodyBytes() + 1024) + "\"}";
  }

  /** Records what is wrong with a response: not 4xx (or not {@code status}), or not a problem. */
  private static void check(
      List<String> wrong, String what, HttpResponse<String> response, int status) {
    int got = response.statusCode();
    String type = response.headers().firstValue("Content-Type").orElse("");
    boolean statusOk = status == 0 ? got >= 400 && got < 500 : got == status;
    String body = response.body() == null ? "" : response.body();
    // one title for a body over the limit, whichever layer noticed it (filter, parser, container)
    boolean titleOk = got != 413 || body.contains("\"title\":\"Content Too Large\"");
    if (!statusOk || !titleOk || !type.startsWith("application/problem+json")) {
      wrong.add(
          what + ": " + got + " " + type + " " + body.substring(0, Math.min(200, body.length())));
    }
  }

  private HttpResponse<String> send(Call call, String body, boolean withLength) {
    String method = call.method();
    String path = call.path();
    BodyPublisher publisher;
    if (body == null) {
      publisher = BodyPublishers.noBody();
    } else if (withLength) {
      publisher = BodyPublishers.ofString(body);
    } else {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      publisher = BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(apiUrl() + path))
            .method(method, publisher)
            .timeout(Duration.ofSeconds(60))
            .header("Accept", "application/json, application/problem+json")
            .header("Authorization", "Bearer " + token());
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    call.headers().forEach(request::header);
    try {
      return Client.HTTP.send(request.build(), BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The one HTTP client of every suite. */
  final class Client {
    static final HttpClient HTTP =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Client() {}
  }
}
