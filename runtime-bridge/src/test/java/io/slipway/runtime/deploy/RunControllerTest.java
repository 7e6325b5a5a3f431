package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunControllerTest {

  @Test
  void aRunIsAnsweredOnceStartedOnlyWhenPreferAsksForRespondAsync() {
    assertThat(RunController.respondAsync("respond-async")).isTrue();
    assertThat(RunController.respondAsync("wait=10, Respond-Async")).isTrue();
    assertThat(RunController.respondAsync("respond-async; x=1")).isTrue();
    assertThat(RunController.respondAsync(null)).isFalse();
    assertThat(RunController.respondAsync("wait=60")).isFalse();
    assertThat(RunController.respondAsync("return=minimal, respond-asynchronously")).isFalse();
  }
}
