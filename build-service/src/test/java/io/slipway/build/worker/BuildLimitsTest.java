package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BuildLimitsTest {

  @Test
  void eachLimitIsNamedInPlainWordsWithTheLogsLastLines() {
    assertThat(
            BuildLimits.explain(
                1,
                List.of("STEP 2/2: RUN dd", "subprocess exited on killed", "Error: exit status 1"),
                512,
                4096))
        .isEqualTo(
            "the build ran out of memory (limit 512 MiB); the log ends with:\n"
                + "STEP 2/2: RUN dd\nsubprocess exited on killed\nError: exit status 1");
    assertThat(
            BuildLimits.explain(
                2, List.of("sh: can't fork: Resource temporarily unavailable"), 512, 64))
        .startsWith("the build started too many processes at once (limit 64);");
    assertThat(BuildLimits.explain(1, List.of("write /x: No space left on device"), 512, 64))
        .startsWith("the build ran out of disk space;");
    assertThat(BuildLimits.explain(125, List.of(), 512, 64))
        .isEqualTo("buildah bud failed with exit code 125");
  }
}
