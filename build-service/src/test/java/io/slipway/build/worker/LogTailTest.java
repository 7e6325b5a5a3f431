package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The lines a failure's reason is read from. */
class LogTailTest {

  @Test
  void keepsTheLastLinesAndTheProxysLastRefusalThatScrolledOut() {
    List<String> passed = new ArrayList<>();
    LogTail tail = new LogTail(passed::add);
    tail.accept("egress refused: build egress is off for this tenant (first)");
    tail.accept("egress refused: build egress is off for this tenant (second)");
    IntStream.range(0, 10).forEach(i -> tail.accept("line " + i));

    assertThat(tail.lines())
        .containsExactly(
            "egress refused: build egress is off for this tenant (second)",
            "line 2",
            "line 3",
            "line 4",
            "line 5",
            "line 6",
            "line 7",
            "line 8",
            "line 9");
    assertThat(passed).hasSize(12);
    tail.accept("egress refused: again");
    assertThat(tail.lines()).hasSize(LogTail.KEPT).endsWith("egress refused: again");
  }
}
