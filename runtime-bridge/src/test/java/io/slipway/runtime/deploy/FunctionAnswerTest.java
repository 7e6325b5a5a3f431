package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The caller's response for each answer of a function's runtime, exactly. */
class FunctionAnswerTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static FunctionAnswer of(String runtimeAnswer) {
    return FunctionAnswer.of(JSON.readTree(runtimeAnswer), 60);
  }

  private static String body(FunctionAnswer answer) {
    return new String(answer.body(), StandardCharsets.UTF_8);
  }

  @Test
  void anyResultIs200WithTheResultAsJson() {
    FunctionAnswer answer =
        of(
            "{\"status\":\"success\",\"result\":{\"sum\":3,\"statusCode\":\"201\"},"
                + "\"error\":null,\"logs\":[\"adding\",\"done\"]}");
    assertThat(answer.status()).isEqualTo("success");
    assertThat(answer.httpStatus()).isEqualTo(200);
    assertThat(answer.headers()).containsExactly(Map.entry("Content-Type", "application/json"));
    assertThat(body(answer)).isEqualTo("{\"sum\":3,\"statusCode\":\"201\"}");
    assertThat(answer.resultBytes()).isEqualTo(28);
    assertThat(answer.logs()).isEqualTo("adding\ndone\n");
    assertThat(answer.error()).isNull();

    FunctionAnswer none = of("{\"status\":\"success\",\"result\":null,\"logs\":[]}");
    assertThat(none.httpStatus()).isEqualTo(200);
    assertThat(body(none)).isEqualTo("null");
    assertThat(none.resultBytes()).isZero();
  }

  @Test
  void aResultWithAnIntegerStatusCodeIsAWebResponse() {
    FunctionAnswer text =
        of(
            "{\"status\":\"success\",\"result\":{\"statusCode\":201,"
                + "\"headers\":{\"Location\":\"/orders/7\",\"Content-Type\":\"text/plain\"},"
                + "\"body\":\"made\"}}");
    assertThat(text.httpStatus()).isEqualTo(201);
    assertThat(text.headers())
        .containsExactly(
            Map.entry("Location", "/orders/7"), Map.entry("Content-Type", "text/plain"));
    assertThat(body(text)).isEqualTo("made");

    FunctionAnswer json =
        of("{\"status\":\"success\",\"result\":{\"statusCode\":404,\"body\":{\"missing\":true}}}");
    assertThat(json.httpStatus()).isEqualTo(404);
    assertThat(json.headers()).containsExactly(Map.entry("Content-Type", "application/json"));
    assertThat(body(json)).isEqualTo("{\"missing\":true}");

    FunctionAnswer empty = of("{\"status\":\"success\",\"result\":{\"statusCode\":204}}");
    assertThat(empty.httpStatus()).isEqualTo(204);
    assertThat(empty.body()).isEmpty();
  }

  @Test
  void aWebResponseMayNotSetWhatThePlatformSetsNorBreakTheHead() {
    for (String headers :
        new String[] {
          "{\"Content-Length\":\"1\"}",
          "{\"Slipway-Activation-Id\":\"acforged\"}",
          "{\"X-Split\":\"a\\r\\nSet-Cookie: x=1\"}",
          "{\"Bad Name\":\"x\"}",
          "{\"X-Number\":5}"
        }) {
      FunctionAnswer answer =
          of(
              "{\"status\":\"success\",\"result\":{\"statusCode\":200,\"headers\":"
                  + headers
                  + ",\"body\":\"x\"}}");
      assertThat(answer.httpStatus()).as(headers).isEqualTo(502);
      assertThat(answer.status()).isEqualTo("error");
      assertThat(body(answer))
          .contains("\"type\":\"https://slipway.io/problems/function-runtime-failed\"")
          .contains("the handler's header");
    }
    FunctionAnswer code = of("{\"status\":\"success\",\"result\":{\"statusCode\":99}}");
    assertThat(code.httpStatus()).isEqualTo(502);
    assertThat(code.error()).isEqualTo("the handler's statusCode 99 is not from 200 to 599");
  }

  @Test
  void anErrorIs502NamingTheHandlersMessageAndATimeout504NamingTheLimit() {
    FunctionAnswer error =
        of(
            "{\"status\":\"error\",\"result\":null,\"error\":\"TypeError: x is not a function\","
                + "\"logs\":[\"TypeError: x is not a function\",\"    at main (handler.js:3)\"]}");
    assertThat(error.httpStatus()).isEqualTo(502);
    assertThat(error.status()).isEqualTo("error");
    assertThat(error.error()).isEqualTo("TypeError: x is not a function");
    assertThat(error.headers())
        .containsExactly(Map.entry("Content-Type", "application/problem+json"));
    JsonNode problem = JSON.readTree(error.body());
    assertThat(problem.path("type").asString())
        .isEqualTo("https://slipway.io/problems/function-failed");
    assertThat(problem.path("status").asInt()).isEqualTo(502);
    assertThat(problem.path("detail").asString())
        .isEqualTo("The function failed: TypeError: x is not a function");
    assertThat(error.logs())
        .isEqualTo("TypeError: x is not a function\n    at main (handler.js:3)\n");

    FunctionAnswer timeout =
        FunctionAnswer.of(JSON.readTree("{\"status\":\"timeout\",\"logs\":[\"started\"]}"), 3);
    assertThat(timeout.httpStatus()).isEqualTo(504);
    assertThat(timeout.status()).isEqualTo("timeout");
    JsonNode late = JSON.readTree(timeout.body());
    assertThat(late.path("type").asString())
        .isEqualTo("https://slipway.io/problems/function-timeout");
    assertThat(late.path("detail").asString())
        .isEqualTo(
            "The function did not finish within its time limit of 3 s; its instance is restarted."
                + " Raise the limit with PUT .../function {\"timeoutSeconds\": n} (1 to 300) if it"
                + " needs longer");
    assertThat(timeout.logs()).isEqualTo("started\n");

    FunctionAnswer unknown = of("{\"status\":\"busy\"}");
    assertThat(unknown.httpStatus()).isEqualTo(502);
    assertThat(unknown.status()).isEqualTo("error");
  }

  @Test
  void aNulInTheHandlersWordsIsReplacedSoTheActivationCanBeStored() {
    FunctionAnswer answer =
        of("{\"status\":\"error\",\"error\":\"bad\\u0000byte\",\"logs\":[\"a\\u0000b\"]}");
    assertThat(answer.error()).isEqualTo("bad\uFFFDbyte");
    assertThat(answer.logs()).isEqualTo("a\uFFFDb\n");
  }

  @Test
  void logsAreKeptWithinTheirBoundsAndSayWhatWasCut() {
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i < 1500; i++) {
      many.append(i == 0 ? "" : ",").append("\"line ").append(i).append('"');
    }
    String logs = FunctionAnswer.logs(JSON.readTree(many.append(']').toString()));
    assertThat(logs.lines()).hasSize(FunctionAnswer.MAX_LOG_LINES + 1);
    assertThat(logs.lines().toList().getLast()).isEqualTo("… 500 more lines not kept");

    String wide = "\"" + "x".repeat(1000) + "\"";
    String big = FunctionAnswer.logs(JSON.readTree("[" + (wide + ",").repeat(99) + wide + "]"));
    assertThat(big.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(FunctionAnswer.MAX_LOG_BYTES);
    assertThat(big).endsWith("… 35 more lines not kept\n");
  }
}
