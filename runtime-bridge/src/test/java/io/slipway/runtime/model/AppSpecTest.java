package io.slipway.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AppSpecTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);

  @Test
  void runsTheDigestWhenKnown() {
    AppSpec spec = withImage("registry.local:5000/acme/web:1", DIGEST);
    assertThat(spec.imageReference()).isEqualTo("registry.local:5000/acme/web@" + DIGEST);
    assertThat(withImage("registry.local:5000/acme/web:1", null).imageReference())
        .isEqualTo("registry.local:5000/acme/web:1");
  }

  @Test
  void refusesRootPrivilegedPortsAndBadNames() {
    assertThatThrownBy(() -> new AppRef("Acme", "shop", "web"))
        .hasMessageContaining("tenant 'Acme'");
    assertThatThrownBy(() -> new AppRef("acme", "shop", "a".repeat(22)))
        .hasMessageContaining("at most 21");
    assertThatThrownBy(() -> withPort(80)).hasMessageContaining("port must be 1024");
    assertThatThrownBy(() -> withImage("x", "sha256:zz")).hasMessageContaining("digest");
    assertThatThrownBy(
            () ->
                new AppSpec(
                    Specs.web().ref(),
                    1,
                    "x",
                    null,
                    1,
                    8080,
                    Map.of("1BAD", "v"),
                    100,
                    64,
                    "/",
                    1000,
                    true))
        .hasMessageContaining("env name '1BAD'");
  }

  @Test
  void namesNamespaceAndHostFromTheRef() {
    AppRef ref = new AppRef("acme", "shop", "web");
    assertThat(ref.namespace()).isEqualTo("acme-shop");
    assertThat(ref.hostLabel()).isEqualTo("web-shop-acme");
  }

  private static AppSpec withImage(String image, String digest) {
    AppSpec base = Specs.web();
    return new AppSpec(
        base.ref(), 1, image, digest, 1, 8080, new TreeMap<>(), 100, 64, "/", 1000, true);
  }

  private static AppSpec withPort(int port) {
    AppSpec base = Specs.web();
    return new AppSpec(
        base.ref(), 1, "x", null, 1, port, new TreeMap<>(), 100, 64, "/", 1000, true);
  }
}
