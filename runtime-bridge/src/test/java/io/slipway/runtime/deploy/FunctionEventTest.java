package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The event a function gets for an HTTP request, exactly as the function contract writes it. */
class FunctionEventTest {

  @Test
  void aJsonRequestBecomesTheContractsEventWithItsBodyParsed() throws Exception {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of("application/json; charset=utf-8"));
    headers.put("X-Many", List.of("a", "b"));
    headers.put("Connection", List.of("keep-alive"));
    headers.put("Content-length", List.of("9"));
    headers.put("Transfer-Encoding", List.of("chunked"));
    headers.put("X-Slipway-Activate", List.of("app.signature"));
    headers.put("Authorization", List.of("Bearer the-tenants-own"));

    String event =
        FunctionEvent.http(
                "POST",
                URI.create("/orders/7?a=1&b=x%20y&a=2&flag"),
                headers,
                "{\"n\": 1}".getBytes(StandardCharsets.UTF_8))
            .toString();

    assertThat(event)
        .isEqualTo(
            "{\"trigger\":\"http\",\"method\":\"POST\",\"path\":\"/orders/7\","
                + "\"query\":{\"a\":\"1\",\"b\":\"x y\",\"flag\":\"\"},"
                + "\"headers\":{\"authorization\":\"Bearer the-tenants-own\","
                + "\"content-type\":\"application/json; charset=utf-8\",\"x-many\":\"a, b\"},"
                + "\"body\":{\"n\":1}}");
  }

  @Test
  void aBodyOfAnyOtherTypeIsAStringAndAnEmptyOneIsAbsent() throws Exception {
    Map<String, List<String>> text = Map.of("Content-Type", List.of("text/plain"));
    assertThat(
            FunctionEvent.http(
                    "PUT", URI.create("/"), text, "héllo".getBytes(StandardCharsets.UTF_8))
                .toString())
        .isEqualTo(
            "{\"trigger\":\"http\",\"method\":\"PUT\",\"path\":\"/\",\"query\":{},"
                + "\"headers\":{\"content-type\":\"text/plain\"},\"body\":\"héllo\"}");
    assertThat(FunctionEvent.http("GET", URI.create("/x"), Map.of(), new byte[0]).toString())
        .isEqualTo(
            "{\"trigger\":\"http\",\"method\":\"GET\",\"path\":\"/x\",\"query\":{},\"headers\":{}}");
    assertThat(
            FunctionEvent.http(
                    "POST",
                    URI.create("/"),
                    Map.of("Content-Type", List.of("application/vnd.api+json")),
                    "[1,2]".getBytes(StandardCharsets.UTF_8))
                .path("body")
                .toString())
        .isEqualTo("[1,2]");
  }

  @Test
  void aBodyThatSaysItIsJsonButIsNotAndAFloodOfParametersAreRefused() {
    assertThatThrownBy(
            () ->
                FunctionEvent.http(
                    "POST",
                    URI.create("/"),
                    Map.of("Content-Type", List.of("application/json")),
                    "{not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(FunctionEvent.Unreadable.class)
        .hasMessageStartingWith("the body is said to be JSON (Content-Type) but is not");
    String flood = "a=1&".repeat(FunctionEvent.MAX_QUERY + 1);
    assertThatThrownBy(() -> FunctionEvent.query(flood))
        .isInstanceOf(FunctionEvent.Unreadable.class)
        .hasMessage("the query has 101 parameters; a function takes at most 100");
    assertThatThrownBy(() -> FunctionEvent.query("a=%zz"))
        .isInstanceOf(FunctionEvent.Unreadable.class)
        .hasMessageStartingWith("the query is not URL-encoded");
  }

  @Test
  void aCronEventNamesItsScheduleAndDueTime() {
    assertThat(FunctionEvent.cron("*/5 * * * *", "2026-12-07T01:05:00Z").toString())
        .isEqualTo(
            "{\"trigger\":\"cron\",\"schedule\":\"*/5 * * * *\","
                + "\"scheduledAt\":\"2026-12-07T01:05:00Z\"}");
  }
}
