package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.cli.api.Json;
import io.slipway.cli.api.Uris;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrisTest {

  @Test
  void eachValueIsOneEncodedSegment() {
    assertThat(Uris.path("/t/{}/p/{}", "acme", "web")).isEqualTo("/t/acme/p/web");
    assertThat(Uris.path("/t/{}", "a/b?c#d e")).isEqualTo("/t/a%2Fb%3Fc%23d%20e");
    assertThat(Uris.path("/t/{}", "..")).isEqualTo("/t/%2E%2E");
    assertThat(Uris.path("/t/{}", "é")).isEqualTo("/t/%C3%A9");
    assertThatThrownBy(() -> Uris.path("/t/{}/p/{}", "acme"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jsonRoundTripsAndRecordsIgnoreUnknownFields() {
    Object parsed = Json.parse("{\"a\":[1,2.5,\"x\\n\\u00e9\",true,null],\"b\":{}}");
    assertThat(Json.parse(Json.write(parsed, true))).isEqualTo(parsed);
    assertThat(Json.object(parsed).get("a"))
        .isEqualTo(java.util.Arrays.asList(1L, 2.5, "x\né", true, null));

    record Pair(String name, int count, List<String> tags, Map<String, String> labels) {}
    Pair pair =
        Json.read(
            Json.parse("{\"name\":\"n\",\"count\":3,\"extra\":1,\"tags\":[\"t\"]}"), Pair.class);
    assertThat(pair).isEqualTo(new Pair("n", 3, List.of("t"), Map.of()));
    assertThatThrownBy(() -> Json.parse("{\"a\":")).isInstanceOf(IllegalArgumentException.class);
  }
}
