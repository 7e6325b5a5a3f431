package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What a preview runs with, derived from its parent app's configuration and its own. */
class PreviewEnvironmentTest {

  private static AppConfigStore.Config config(
      Map<String, String> env, Map<String, String> secrets) {
    return new AppConfigStore.Config(new TreeMap<>(env), new TreeMap<>(secrets));
  }

  private static final AppConfigStore.Config PARENT =
      config(
          Map.of("GREETING", "hello", "MODE", "production"),
          Map.of("DATABASE_URL", "postgres://prod", "SENTRY_DSN", "https://sentry"));

  @Test
  void theParentsPlainVariablesAreCopiedAndItsSecretsAreNot() {
    AppConfigStore.Config derived =
        PreviewEnvironment.derive(PARENT, Set.of(), AppConfigStore.Config.EMPTY);

    assertThat(derived.env()).containsExactlyEntriesOf(new TreeMap<>(PARENT.env()));
    assertThat(derived.secrets()).isEmpty();
  }

  @Test
  void onlySecretsMarkedPreviewAreCopied() {
    AppConfigStore.Config derived =
        PreviewEnvironment.derive(PARENT, Set.of("SENTRY_DSN"), AppConfigStore.Config.EMPTY);

    assertThat(derived.secrets()).containsExactlyEntriesOf(Map.of("SENTRY_DSN", "https://sentry"));
  }

  @Test
  void thePreviewsOwnValuesWinEachAsWhatItMadeThem() {
    AppConfigStore.Config own =
        config(
            Map.of("MODE", "preview", "SENTRY_DSN", "off"),
            Map.of("DATABASE_URL", "postgres://preview", "GREETING", "sealed"));

    AppConfigStore.Config derived = PreviewEnvironment.derive(PARENT, Set.of("SENTRY_DSN"), own);

    assertThat(derived.env())
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("MODE", "preview", "SENTRY_DSN", "off")));
    assertThat(derived.secrets())
        .containsExactlyEntriesOf(
            new TreeMap<>(Map.of("DATABASE_URL", "postgres://preview", "GREETING", "sealed")));
  }
}
