package io.slipway.kit.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The app and preview names every service reads app names in paths with (issue 25). */
class AppNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"web", "a", "feature-x", "pr-12", "abcdefghijklmnopqrstu"})
  void labelsOfAtMost21CharactersWithoutDoubleDashesName(String name) {
    assertThat(AppNames.isLabel(name)).isTrue();
    assertThat(AppNames.isAppName(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a--b",
        "-x",
        "x-",
        "Web",
        "a_b",
        "a.b",
        "feature/x",
        "abcdefghijklmnopqrstuv"
      })
  void anythingElseIsNoPreviewName(String name) {
    assertThat(AppNames.isLabel(name)).isFalse();
  }

  @Test
  void aPreviewsAppNameIsTwoLabelsAndSplitsBackIntoExactlyOne() {
    assertThat(AppNames.previewApp("pr-12", "web")).isEqualTo("pr-12--web");
    assertThat(AppNames.isAppName("pr-12--web")).isTrue();
    assertThat(AppNames.parentOf("pr-12--web")).contains("web");
    assertThat(AppNames.parentOf("web")).isEmpty();
    assertThat(AppNames.isAppName("a--b--c")).isFalse();
    assertThat(AppNames.isAppName("--web")).isFalse();
    assertThat(AppNames.isAppName("pr-12--")).isFalse();
    assertThat(AppNames.isAppName("abcdefghijklmnopqrstu--abcdefghijklmnopqrstu")).isTrue();
    assertThat(AppNames.isAppName("abcdefghijklmnopqrstuv--web")).isFalse();
    assertThat(AppNames.isAppName(null)).isFalse();
  }
}
