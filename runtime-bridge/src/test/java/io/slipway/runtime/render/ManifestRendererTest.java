package io.slipway.runtime.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.Specs;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestRendererTest {

  private final RenderSettings settings =
      new RenderSettings("example.test", "traefik", "slipway.io/router", "true");
  private final ManifestRenderer renderer = new ManifestRenderer(settings);
  private final AppSpec spec = Specs.web();

  @Test
  void rendersEveryObjectInApplyOrder() {
    List<HasMetadata> objects = renderer.render(spec);
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .containsExactly(
            "Namespace", "NetworkPolicy", "NetworkPolicy", "Deployment", "Service", "Ingress");
    assertThat(objects.subList(1, objects.size()))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("acme-shop"));
    assertThat(renderer.render(spec)).isEqualTo(objects);
  }

  @Test
  void namespaceIsLabelledWithTenantAndRestricted() {
    Namespace namespace = new NamespaceRenderer().render(spec.ref());
    assertThat(namespace.getMetadata().getName()).isEqualTo("acme-shop");
    assertThat(namespace.getMetadata().getLabels())
        .containsEntry("slipway.io/tenant", "acme")
        .containsEntry("slipway.io/project", "shop")
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
  }

  @Test
  void deploymentRunsARestrictedLimitedContainer() {
    Deployment deployment = new DeploymentRenderer().render(spec);
    assertThat(deployment.getMetadata().getName()).isEqualTo("web-v1");
    assertThat(deployment.getMetadata().getLabels()).containsEntry("slipway.io/revision", "1");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65534L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    Container app = pod.getContainers().getFirst();
    assertThat(app.getImage()).isEqualTo("registry.local/acme/web:1");
    assertThat(app.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(app.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(app.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(app.getResources().getLimits().get("cpu").toString()).isEqualTo("250m");
    assertThat(app.getResources().getLimits().get("memory").toString()).isEqualTo("64Mi");
    assertThat(app.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/");
    assertThat(app.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(8080);
    assertThat(app.getEnv())
        .extracting("name", "value")
        .containsExactly(org.assertj.core.groups.Tuple.tuple("GREETING", "hello"));
    assertThat(app.getVolumeMounts()).extracting("mountPath").containsExactly("/tmp");
    assertThat(
            deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
  }

  @Test
  void serviceTargetsTheAppPort() {
    Service service = new ServiceRenderer().render(spec);
    assertThat(service.getSpec().getSelector())
        .containsExactlyEntriesOf(java.util.Map.of("slipway.io/app", "web"));
    assertThat(service.getSpec().getPorts().getFirst().getTargetPort().getIntVal()).isEqualTo(8080);
  }

  @Test
  void networkPoliciesDenyAllButTheRouter() {
    NetworkPolicyRenderer policies = new NetworkPolicyRenderer(settings);
    NetworkPolicy deny = policies.defaultDeny(spec.ref());
    assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
    assertThat(deny.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
    NetworkPolicy allow = policies.allowRouter(spec);
    var rule = allow.getSpec().getIngress().getFirst();
    assertThat(rule.getFrom().getFirst().getNamespaceSelector().getMatchLabels())
        .containsExactlyEntriesOf(java.util.Map.of("slipway.io/router", "true"));
    assertThat(rule.getPorts().getFirst().getPort().getIntVal()).isEqualTo(8080);
  }

  @Test
  void ingressUsesTheClassAndTheAppHost() {
    Ingress ingress = new IngressRenderer(settings).render(spec);
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("traefik");
    assertThat(ingress.getSpec().getRules().getFirst().getHost())
        .isEqualTo("web-shop-acme.apps.example.test");
  }
}
