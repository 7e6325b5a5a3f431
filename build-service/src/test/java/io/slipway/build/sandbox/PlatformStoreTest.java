package io.slipway.build.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class PlatformStoreTest {

  @Test
  void aFullDiskIsNamedAndNotAnsweredWithPushAgain() {
    IOException failed =
        new IOException(
            "skopeo copy --quiet ... failed: level=fatal msg=\"writing blob: storing blob to file"
                + " \\\"/var/tmp/storage1/2\\\": write /var/tmp/storage1/2: no space left on"
                + " device\"");

    String message = PlatformStore.notReady("localhost/slipway/stacks/node:1", failed).getMessage();

    assertThat(message)
        .startsWith(
            "the platform image localhost/slipway/stacks/node:1 could not be made ready for the"
                + " build sandbox, so the build did not start; the platform's disk is full")
        .doesNotContain("push again")
        .doesNotContain("/var/tmp");
  }

  @Test
  void anyOtherFailureAsksForAnotherPushThenTheOperator() {
    String message =
        PlatformStore.notReady("localhost/slipway/stacks/go:1", new IOException("skopeo failed"))
            .getMessage();

    assertThat(message).endsWith(BuildSandbox.RETRY).doesNotContain("skopeo");
  }
}
