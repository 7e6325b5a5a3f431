package io.slipway.build.worker;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.slipway.build.BuildProperties;
import io.slipway.build.kubernetes.BuildJobRenderer;
import io.slipway.build.kubernetes.KubernetesBuildExecutor;
import io.slipway.build.kubernetes.KubernetesBuildProperties;
import io.slipway.build.kubernetes.KubernetesImageBuilds;
import io.slipway.build.registry.BuildPushCredentials;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code slipway.build.executor=kubernetes}, the workers build images as Kubernetes Jobs: the
 * cluster client (fabric8's own discovery: a pod's service account, else {@code KUBECONFIG} or
 * {@code ~/.kube/config}) and what drives the Jobs. Start-up fails when a setting those Jobs need
 * is missing, rather than every build failing later for it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "slipway.build.executor", havingValue = "kubernetes")
class KubernetesExecutorConfig {

  @Bean(destroyMethod = "close")
  KubernetesClient kubernetesClient(
      RegistryProperties registry, KubernetesBuildProperties settings) {
    if (!registry.enabled()) {
      throw new IllegalStateException(
          "slipway.build.executor=kubernetes needs slipway.build.registry.url: build pods push"
              + " their image there, and deploys pull it from there");
    }
    if (settings.contextUrl().isBlank()) {
      throw new IllegalStateException(
          "slipway.build.executor=kubernetes needs slipway.build.kubernetes.context-url: build"
              + " pods fetch their context from build-service at that URL");
    }
    return new KubernetesClientBuilder().build();
  }

  @Bean
  KubernetesImageBuilds kubernetesImageBuilds(
      KubernetesClient client,
      KubernetesBuildProperties settings,
      BuildPushCredentials credentials,
      BuildProperties properties) {
    KubernetesBuildExecutor jobs =
        new KubernetesBuildExecutor(client, new BuildJobRenderer(settings), settings);
    return new KubernetesImageBuilds(
        client, jobs, credentials::revoke, settings, properties.pollInterval());
  }
}
