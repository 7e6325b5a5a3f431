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
    AppRef ok = Specs.ref("acme", "shop", "web");
    assertThatThrownBy(
            () ->
                new AppRef(
                    "Acme",
                    "shop",
                    "web",
                    ok.tenantId(),
                    ok.projectId(),
                    ok.appId(),
                    ok.hostLabel()))
        .hasMessageContaining("tenant 'Acme'");
    assertThatThrownBy(
            () ->
                new AppRef(
                    "acme",
                    "shop",
                    "a".repeat(22),
                    ok.tenantId(),
                    ok.projectId(),
                    ok.appId(),
                    ok.hostLabel()))
        .hasMessageContaining("at most 21");
    // ids are tenant-service's, of their kind: a name is never taken for one
    assertThatThrownBy(
            () ->
                new AppRef(
                    "acme", "shop", "web", "acme", ok.projectId(), ok.appId(), ok.hostLabel()))
        .hasMessageContaining("tenantId 'acme'");
    assertThatThrownBy(
            () ->
                new AppRef(
                    "acme", "shop", "web", ok.tenantId(), ok.appId(), ok.appId(), ok.hostLabel()))
        .hasMessageContaining("projectId");
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
  void tooManyVariablesOrSecretsAreRefusedWithTheLimit() {
    Map<String, String> variables = new TreeMap<>();
    Map<String, String> secrets = new TreeMap<>();
    for (int i = 0; i < EnvRules.MAX_VARIABLES; i++) {
      variables.put("V" + i, "v");
    }
    for (int i = 0; i < EnvRules.MAX_SECRETS; i++) {
      secrets.put("S" + i, "s");
    }
    assertThat(withEnv(variables, secrets).env()).hasSize(EnvRules.MAX_VARIABLES);

    variables.put("ONE_MORE", "v");
    assertThatThrownBy(() -> withEnv(variables, secrets))
        .hasMessageContaining("at most " + EnvRules.MAX_VARIABLES + " env variables");
    variables.remove("ONE_MORE");
    secrets.put("ONE_MORE", "s");
    assertThatThrownBy(() -> withEnv(variables, secrets))
        .hasMessageContaining("at most " + EnvRules.MAX_SECRETS + " secrets");
  }

  private static AppSpec withEnv(Map<String, String> env, Map<String, String> secrets) {
    return new AppSpec(
        Specs.web().ref(), 1, "x", null, 1, 8080, env, 100, 64, "/", 1000, true, secrets);
  }

  @Test
  void theNamespaceIsTheProjectsIdAndTheHostTheReservedLabel() {
    AppRef ref = Specs.ref("acme", "shop", "web");
    assertThat(ref.namespace()).isEqualTo(ref.projectId()).matches("p[a-z2-7]{11}");
    assertThat(ref.hostLabel()).isEqualTo("web--shop--acme");
    // acme/web-prod and acme-web/prod once shared the namespace acme-web-prod
    assertThat(Specs.ref("acme", "web-prod", "api").namespace())
        .isNotEqualTo(Specs.ref("acme-web", "prod", "api").namespace());
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
