package io.slipway.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Procfile label of an image, as the runtime reads it: untrusted, so checked whole. */
class ProcessTypesTest {

  @Test
  void everyTypeButWebAndReleaseRunsAsAProcessOfItsOwn() {
    assertThat(
            ProcessTypes.fromLabels(
                Map.of(
                    ProcessTypes.LABEL,
                    "{\"web\":\"gunicorn app\",\"worker\":\"python3 w.py \\\"$Q\\\" # it\\u0027s\","
                        + "\"release\":\"./migrate\",\"Urgent_Clock-2\":\"sleep 1\"}")))
        .containsExactly(
            Map.entry("Urgent_Clock-2", "sleep 1"),
            Map.entry("worker", "python3 w.py \"$Q\" # it's"));
  }

  @Test
  void releaseIsTheReleasePhasesCommandAndNeverAProcess() {
    Map<String, String> labels =
        Map.of(ProcessTypes.LABEL, "{\"web\":\"w\",\"release\":\"./migrate\"}");
    assertThat(ProcessTypes.release(labels)).isEqualTo("./migrate");
    assertThat(ProcessTypes.fromLabels(labels)).isEmpty();
    assertThat(ProcessTypes.release(Map.of())).isNull();
    assertThatThrownBy(() -> ProcessTypes.release(Map.of(ProcessTypes.LABEL, "{\"release\":1}")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anImageWithoutTheLabelRunsWebOnly() {
    assertThat(ProcessTypes.fromLabels(Map.of())).isEmpty();
    assertThat(ProcessTypes.fromLabels(null)).isEmpty();
    assertThat(ProcessTypes.fromLabels(Map.of("other", "x"))).isEmpty();
  }

  @Test
  void aHostileLabelIsRefusedWithAReason() {
    for (String label :
        new String[] {
          "not json",
          "[\"worker\"]",
          "{\"a b\":\"x\"}",
          "{\"../../etc\":\"x\"}",
          "{\"" + "w".repeat(64) + "\":\"x\"}",
          "{\"\":\"x\"}",
          "{\"worker;rm\":\"x\"}",
          "{\"wörker\":\"x\"}",
          "{\"worker\":\"\"}",
          "{\"worker\":\"a\\nb\"}",
          "{\"worker\":\"a\\u0000b\"}",
          "{\"worker\":\"a\\u001bb\"}",
          "{\"worker\":1}",
          "{\"worker\":\"" + "x".repeat(ProcessTypes.MAX_COMMAND + 1) + "\"}",
        }) {
      assertThatThrownBy(() -> ProcessTypes.fromLabels(Map.of(ProcessTypes.LABEL, label)))
          .as(label)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("the image's io.slipway.procfile label");
    }
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i <= ProcessTypes.MAX_TYPES; i++) {
      many.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":\"x\"");
    }
    assertThatThrownBy(
            () -> ProcessTypes.fromLabels(Map.of(ProcessTypes.LABEL, many.append('}').toString())))
        .hasMessageContaining("more than 100 process types");
  }

  @Test
  void aSpecCountsEveryInstanceAndRefusesWebReleaseAndOddNamesAsTypes() {
    AppSpec spec =
        Specs.web()
            .withProcesses(
                Map.of("worker", new ProcessSpec("w", 3), "clock", new ProcessSpec("c", 0)));
    assertThat(spec.instances()).isEqualTo(2 + 3);
    assertThat(spec.withCount("clock", 1).instances()).isEqualTo(6);
    assertThat(spec.withReplicas(0).instances()).isEqualTo(3);
    assertThat(spec.asRevision(2, Map.of(), Map.of()).processes()).isEqualTo(spec.processes());
    assertThatThrownBy(() -> spec.withCount("other", 1))
        .isInstanceOf(IllegalArgumentException.class);
    for (String type : new String[] {"web", "release", "a b", "", "x".repeat(64)}) {
      assertThatThrownBy(() -> Specs.web().withProcesses(Map.of(type, new ProcessSpec("c", 1))))
          .as(type)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new ProcessSpec("c", 101))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
