package io.slipway.runtime.podman;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExposedPortsTest {

  @Test
  void readsTheTcpPortsAnImageExposes() {
    // EXPOSE 3000 80/tcp 53/udp 9229/TCP, and what buildah leaves of a range or a bare variable
    String config =
        """
        {"ExposedPorts": {"3000/tcp": {}, "80/tcp": {}, "53/udp": {}, "9229/TCP": {},
          "7000-7002/tcp": {}, "$APP_PORT/tcp": {}, "8080": {}}, "Cmd": ["app"]}
        """;
    assertThat(ExposedPorts.of(PodmanApi.parse(config))).containsExactly(80, 3000, 8080, 9229);
  }

  @Test
  void anImageWithoutExposeHasNone() {
    assertThat(ExposedPorts.of(PodmanApi.parse("{\"Cmd\": [\"app\"]}"))).isEmpty();
    assertThat(ExposedPorts.of(PodmanApi.parse("{\"ExposedPorts\": null}"))).isEmpty();
  }
}
