package io.slipway.runtime.deploy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.slipway.kit.client.BuildService;
import io.slipway.runtime.RuntimeProperties;
import io.slipway.runtime.egress.ProjectEgress;
import io.slipway.runtime.kubernetes.IngressRouter;
import io.slipway.runtime.kubernetes.KnativeMode;
import io.slipway.runtime.kubernetes.KubernetesDriver;
import io.slipway.runtime.kubernetes.KubevirtVms;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.render.ManifestRenderer;
import io.slipway.runtime.render.ProjectQuota;
import io.slipway.runtime.render.PullSecretRenderer;
import io.slipway.runtime.render.RenderSettings;
import io.slipway.runtime.render.Serving;
import io.slipway.runtime.tenant.TenantApi;
import io.slipway.runtime.vm.VmSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code slipway.runtime.driver=kubernetes}: the kubernetes driver (custom domains from the
 * bridge's records, the project's quota from tenant-service) and Ingress as the router. The client
 * takes the ambient configuration (kubeconfig, or the pod's service account). Apps that scale to
 * zero, and functions, run as Knative Services where {@code slipway.runtime.kubernetes.knative}
 * says so; VMs as KubeVirt VirtualMachines. Each project namespace's image pull Secret holds a pull
 * credential build-service issues.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "slipway.runtime.driver", havingValue = "kubernetes")
class KubernetesConfig {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  KubernetesClient kubernetesClient() {
    return new KubernetesClientBuilder().build();
  }

  @Bean
  KubernetesDriver runtimeDriver(
      KubernetesClient client,
      RenderSettings settings,
      RuntimeProperties properties,
      AppConfigStore configs,
      TenantApi tenants,
      ProjectEgress egress,
      ZeroStore zero,
      AutoscaleStore autoscaling,
      FunctionStore functions,
      ObjectProvider<FunctionImages> functionImages,
      BuildService buildService) {
    PullCredentials pullCredentials = new PullCredentials(buildService);
    return new KubernetesDriver(
        client,
        new ManifestRenderer(settings),
        new KubernetesDriver.Context() {
          @Override
          public List<String> domains(AppRef ref) {
            return configs.verifiedDomains(ref);
          }

          @Override
          public Optional<ProjectQuota> quota(AppRef ref) {
            return tenants.projectQuota(ref);
          }

          @Override
          public boolean egress(String projectId) {
            return egress.allowed(projectId);
          }

          @Override
          public Optional<PullSecretRenderer.PullLogin> pullLogin(AppRef ref) {
            return pullCredentials.issue(ref);
          }

          @Override
          public Serving serving(AppSpec spec) {
            AppRef ref = spec.ref();
            Serving.Scale scale =
                autoscaling
                    .bounds(ref)
                    .map(b -> new Serving.Scale(b.min(), b.max(), b.target()))
                    .orElse(null);
            // the driver itself is asked for the image's labels: known only once it is made
            boolean function = functionImages.getObject().runtime(spec).isPresent();
            return new Serving(
                zero.periods(ref).map(ScaleToZeroSetting.Periods::idleAfter).orElse(null),
                scale,
                function ? functions.timeoutSeconds(ref) : null);
          }
        },
        KnativeMode.of(properties.kubernetes().knative()),
        Clock.systemUTC());
  }

  /**
   * VMs as KubeVirt VirtualMachines (docs/vms.md); a cluster without KubeVirt refuses each VM call
   * with a message saying so.
   */
  @Bean
  KubevirtVms kubevirtVms(
      KubernetesClient client,
      KubernetesDriver driver,
      VmSettings settings,
      RuntimeProperties properties) {
    return new KubevirtVms(
        client, driver, settings, properties.kubernetes().kubevirtEmulation(), KUBEVIRT_PATIENCE);
  }

  /**
   * How long a VM call waits for KubeVirt beyond the guest's grace period: scheduling the launcher
   * pod and pulling the containerDisk image take this long on a busy cluster.
   */
  static final Duration KUBEVIRT_PATIENCE = Duration.ofMinutes(5);

  @Bean
  IngressRouter router(KubernetesClient client, RenderSettings settings, KubernetesDriver driver) {
    return new IngressRouter(
        client, new ManifestRenderer(settings), settings, driver::knativeAvailable);
  }
}
