package io.slipway.build.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a build prints reaches the pusher's terminal without its control characters. */
class BuildLogRelayTest {

  @Test
  void controlCharactersOfALogLineAreNeutralised() {
    assertThat(BuildLogRelay.printable("\u001b[31mred\u001b[0m\tdone\r"))
        .isEqualTo("?[31mred?[0m\tdone");
    assertThat(BuildLogRelay.printable("plain line: ünïcode")).isEqualTo("plain line: ünïcode");
  }
}
