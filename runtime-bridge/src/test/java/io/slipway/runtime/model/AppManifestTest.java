package io.slipway.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.runtime.model.AppManifest.ReleaseStep;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The app.json label of an image, as the runtime reads it: untrusted, so checked whole. */
class AppManifestTest {

  private static AppManifest read(String label) {
    return AppManifest.fromLabels(Map.of(AppManifest.LABEL, label));
  }

  @Test
  void readsWhatBuildServiceWrites() {
    AppManifest manifest =
        read(
            "{\"predeploy\":\"./migrate \\\"$DB\\\"\",\"postdeploy\":\"./warm\","
                + "\"formation\":{\"worker\":2,\"web\":3},\"requiredEnv\":[\"DB\",\"KEY\"],"
                + "\"healthcheck\":{\"path\":\"/up?x=1\",\"content\":\"ok\",\"timeout\":3,"
                + "\"attempts\":4,\"wait\":0}}");
    assertThat(manifest.predeploy()).isEqualTo("./migrate \"$DB\"");
    assertThat(manifest.postdeploy()).isEqualTo("./warm");
    assertThat(manifest.formation()).containsExactly(Map.entry("web", 3), Map.entry("worker", 2));
    assertThat(manifest.requiredEnv()).containsExactly("DB", "KEY");
    assertThat(manifest.healthcheck())
        .isEqualTo(new AppManifest.HealthCheck("/up?x=1", "ok", 3, 4, 0));
    // predeploy, then the Procfile's release, both before the switch
    assertThat(manifest.before("./release"))
        .containsExactly(
            new ReleaseStep("predeploy", "./migrate \"$DB\""),
            new ReleaseStep("release", "./release"));
    assertThat(manifest.missing(Map.of("DB", "x"), Map.of())).containsExactly("KEY");
    assertThat(manifest.missing(Map.of("DB", "x"), Map.of("KEY", "s"))).isEmpty();
  }

  @Test
  void noLabelDeclaresNothing() {
    assertThat(AppManifest.fromLabels(Map.of())).isEqualTo(AppManifest.NONE);
    assertThat(AppManifest.fromLabels(null)).isEqualTo(AppManifest.NONE);
    assertThat(read("{}").before(null)).isEmpty();
    assertThat(read("{\"healthcheck\":{\"path\":\"/\"}}").healthcheck())
        .isEqualTo(new AppManifest.HealthCheck("/", null, 5, 5, 1));
  }

  @Test
  void readsCronEntriesEachWithAStableId() {
    AppManifest manifest =
        read(
            "{\"cron\":[{\"command\":\"./report\",\"schedule\":\"*/10 * * * *\"},"
                + "{\"command\":\"./report\",\"schedule\":\"@daily\"}]}");
    assertThat(manifest.cron())
        .extracting(e -> e.schedule().text(), CronEntry::command)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("*/10 * * * *", "./report"),
            org.assertj.core.groups.Tuple.tuple("@daily", "./report"));
    assertThat(manifest.cron().get(0).id())
        .matches("[0-9a-f]{12}")
        .isNotEqualTo(manifest.cron().get(1).id())
        .isEqualTo(new CronEntry(CronSchedule.parse("*/10 * * * *"), "./report").id());
  }

  /** A deploy is refused naming the entry: its place and its schedule as written. */
  @Test
  void aCronEntryThatCannotRunIsRefusedNamingIt() {
    String twentyOne =
        "{\"cron\":["
            + "{\"command\":\"x\",\"schedule\":\"@daily\"},".repeat(20)
            + "{\"command\":\"y\",\"schedule\":\"@daily\"}]}";
    Map<String, String> cases =
        Map.of(
            "{\"cron\":[{\"command\":\"a\",\"schedule\":\"@daily\"},"
                + "{\"command\":\"b\",\"schedule\":\"*/0 * * * *\"}]}",
            "has a cron entry 2 (\"*/0 * * * *\") whose schedule has a minute step outside 1 to 60",
            "{\"cron\":[{\"command\":\"a\",\"schedule\":\"* * * * * *\"}]}",
            "has a cron entry 1 (\"* * * * * *\") whose schedule has 6 fields",
            "{\"cron\":[{\"command\":\"a\\nb\",\"schedule\":\"@daily\"}]}",
            "has a cron entry 1 (\"@daily\") without a command of one line",
            "{\"cron\":[{\"command\":\"a\"}]}",
            "has a cron entry 1 without a schedule",
            "{\"cron\":[{\"command\":\"a\",\"schedule\":\"@daily\"},"
                + "{\"command\":\"a\",\"schedule\":\"@daily\"}]}",
            "has a cron entry 2 (\"@daily\") that repeats an earlier entry",
            twentyOne,
            "has a cron that is not a list of at most 20 entries",
            "{\"cron\":[{\"command\":\"a\",\"schedule\":\"\\u0007 * * * *\"}]}",
            "has a cron entry 1 (\"? * * * *\") whose schedule holds characters other than printable ASCII");
    cases.forEach(
        (label, why) ->
            assertThatThrownBy(() -> read(label))
                .as(label)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the image's io.slipway.app-json label " + why));
  }

  @Test
  void aHostileLabelIsRefusedWithAReason() {
    for (String label :
        new String[] {
          "not json",
          "[1]",
          "{\"predeploy\":1}",
          "{\"predeploy\":\"a\\nrm -rf /\"}",
          "{\"predeploy\":\"" + "x".repeat(8193) + "\"}",
          "{\"formation\":{\"worker\":\"two\"}}",
          "{\"formation\":{\"worker\":101}}",
          "{\"formation\":{\"worker\":-1}}",
          "{\"formation\":{\"../x\":1}}",
          "{\"formation\":[1]}",
          "{\"requiredEnv\":[\"A B\"]}",
          "{\"requiredEnv\":\"A\"}",
          "{\"healthcheck\":{\"path\":\"no-slash\"}}",
          "{\"healthcheck\":{\"path\":\"/a b\"}}",
          "{\"healthcheck\":{\"path\":\"/\",\"attempts\":1000}}",
          "{\"healthcheck\":{\"path\":\"/\",\"timeout\":1.5}}",
          "{\"healthcheck\":{\"path\":\"/\",\"content\":7}}",
          "{\"x\":\"" + "y".repeat(AppManifest.MAX_LABEL) + "\"}",
        }) {
      assertThatThrownBy(() -> read(label))
          .as(label.length() > 80 ? label.substring(0, 80) : label)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("the image's io.slipway.app-json label ");
    }
  }
}
