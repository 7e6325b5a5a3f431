package io.slipway.cli.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI's JSON reader refuses hostile answers with IllegalArgumentException, never worse. */
class JsonTest {

  @Test
  void nestingUpToTheBoundIsReadAndDeeperIsRefused() {
    String deepest = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    assertThat(Json.parse(deepest)).isInstanceOf(List.class);
    String objects = "{\"a\":".repeat(Json.MAX_DEPTH) + "1" + "}".repeat(Json.MAX_DEPTH);
    assertThat(Json.parse(objects)).isInstanceOf(Map.class);

    String tooDeep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    assertThatThrownBy(() -> Json.parse(tooDeep))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested deeper than 200");
    String hostile = "[".repeat(1_000_000);
    assertThatThrownBy(() -> Json.parse(hostile)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void siblingsDoNotCountAsDepth() {
    String wide = "[" + "[[]],".repeat(1_000) + "[]]";
    assertThat((List<?>) Json.parse(wide)).hasSize(1_001);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\\u12", "\"\\u", "\"\\", "\"\\uzzzz\"", "\"\\u+123\"", "\"\\x\""})
  void aBadEscapeIsAnIllegalArgument(String text) {
    assertThatThrownBy(() -> Json.parse(text))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("malformed JSON at ");
  }

  @Test
  void goodEscapesAreRead() {
    assertThat(Json.parse("\"a\\u0041\\n\\\"\\\\\\/\"")).isEqualTo("aA\n\"\\/");
  }

  @Test
  void controlCharactersAreWrittenEscaped() {
    assertThat(Json.write("a\u001b]0;x\u0007\u009bb", false))
        .isEqualTo("\"a\\u001b]0;x\\u0007\\u009bb\"");
    assertThat(Json.parse(Json.write("a\u001b\u009bb", false))).isEqualTo("a\u001b\u009bb");
  }
}
