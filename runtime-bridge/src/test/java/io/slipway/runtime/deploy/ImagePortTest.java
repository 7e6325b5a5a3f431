package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Which of its image's EXPOSEd ports a deploy that names none runs on. */
class ImagePortTest {

  @Test
  void theLowestUnprivilegedPortOfTheImage() {
    assertThat(Deployments.portOf(new TreeSet<>(List.of(3000)))).contains(3000);
    assertThat(Deployments.portOf(new TreeSet<>(List.of(9090, 8080)))).contains(8080);
    // 80 and 443 need privileges an app does not have: the first it can listen on
    assertThat(Deployments.portOf(new TreeSet<>(List.of(80, 443, 8443)))).contains(8443);
  }

  @Test
  void noneWhenTheImageExposesNothingAnAppCanListenOn() {
    assertThat(Deployments.portOf(new TreeSet<>())).isEmpty();
    assertThat(Deployments.portOf(new TreeSet<>(List.of(80, 443)))).isEmpty();
  }
}
