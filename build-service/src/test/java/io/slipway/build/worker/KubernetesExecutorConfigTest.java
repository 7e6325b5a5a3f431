package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.slipway.build.kubernetes.KubernetesBuildProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The Kubernetes executor's wiring: absent unless chosen, and a start-up that fails naming the
 * setting its Jobs cannot do without.
 */
class KubernetesExecutorConfigTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties({RegistryProperties.class, KubernetesBuildProperties.class})
  static class Settings {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withUserConfiguration(Settings.class)
          .withUserConfiguration(KubernetesExecutorConfig.class);

  @Test
  void podmanMakesNoClusterClient() {
    runner.run(context -> assertThat(context).doesNotHaveBean(KubernetesClient.class));
    runner
        .withPropertyValues("slipway.build.executor=podman")
        .run(context -> assertThat(context).doesNotHaveBean(KubernetesClient.class));
  }

  @Test
  void kubernetesWithoutARegistryOrAContextUrlFailsStartUpSayingWhich() {
    runner
        .withPropertyValues(
            "slipway.build.executor=kubernetes",
            "slipway.build.kubernetes.context-url=http://build-service.slipway.svc:8080")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageStartingWith(
                        "slipway.build.executor=kubernetes needs slipway.build.registry.url"));
    runner
        .withPropertyValues(
            "slipway.build.executor=kubernetes", "slipway.build.registry.url=registry.test:5000")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageStartingWith(
                        "slipway.build.executor=kubernetes needs"
                            + " slipway.build.kubernetes.context-url"));
  }
}
