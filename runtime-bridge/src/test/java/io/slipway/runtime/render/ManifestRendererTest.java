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
            "Namespace",
            "NetworkPolicy",
            "NetworkPolicy",
            "NetworkPolicy",
            "Deployment",
            "Service",
            "Ingress");
    assertThat(objects.subList(1, objects.size()))
        .allSatisfy(
            o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(spec.ref().projectId()));
    assertThat(renderer.render(spec)).isEqualTo(objects);
  }

  @Test
  void withSecretsDomainsAndAQuotaRendersThemToo() {
    AppSpec secret =
        spec.asRevision(2, java.util.Map.of("A", "1"), java.util.Map.of("TOKEN", "hunter2"));
    List<HasMetadata> objects =
        renderer.render(
            secret,
            List.of("shop.example.com"),
            java.util.Optional.of(new ProjectQuota(1500L, 2048L, null)),
            false);
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .containsExactly(
            "Namespace",
            "ResourceQuota",
            "LimitRange",
            "NetworkPolicy",
            "NetworkPolicy",
            "NetworkPolicy",
            "Secret",
            "Deployment",
            "Service",
            "Ingress");
    var quota = (io.fabric8.kubernetes.api.model.ResourceQuota) objects.get(1);
    assertThat(quota.getSpec().getHard())
        .containsOnlyKeys("requests.cpu", "limits.cpu", "requests.memory", "limits.memory");
    assertThat(quota.getSpec().getHard().get("limits.memory").toString()).isEqualTo("2048Mi");
    var limits = (io.fabric8.kubernetes.api.model.LimitRange) objects.get(2);
    assertThat(limits.getSpec().getLimits().getFirst().getMax().get("cpu").toString())
        .isEqualTo("1500m");
    var stored = (io.fabric8.kubernetes.api.model.Secret) objects.get(6);
    assertThat(stored.getMetadata().getName()).isEqualTo(spec.ref().appId() + "-v2-env");
    assertThat(stored.getStringData()).containsEntry("TOKEN", "hunter2");
    Deployment deployment = (Deployment) objects.get(7);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("TOKEN");
              assertThat(e.getValue()).isNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("TOKEN");
            });
    Ingress ingress = (Ingress) objects.get(9);
    assertThat(ingress.getSpec().getRules())
        .extracting(r -> r.getHost())
        .containsExactly("web--shop--acme.apps.example.test", "shop.example.com");
    assertThat(RestrictedProfile.violations(objects)).isEmpty();
  }

  @Test
  void namespaceIsLabelledWithTenantAndRestricted() {
    Namespace namespace = new NamespaceRenderer().render(spec.ref());
    assertThat(namespace.getMetadata().getName()).isEqualTo(spec.ref().projectId());
    assertThat(namespace.getMetadata().getLabels())
        .containsEntry("slipway.io/tenant-id", spec.ref().tenantId())
        .containsEntry("slipway.io/project-id", spec.ref().projectId())
        .containsEntry("slipway.io/tenant", "acme")
        .containsEntry("slipway.io/project", "shop")
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
  }

  @Test
  void deploymentRunsARestrictedLimitedContainer() {
    Deployment deployment = new DeploymentRenderer().render(spec);
    assertThat(deployment.getMetadata().getName()).isEqualTo(spec.ref().appId() + "-v1");
    assertThat(deployment.getMetadata().getLabels()).containsEntry("slipway.io/revision", "1");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65534L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    // the pause container is PID 1 and reaps orphans (RenderedPodIT runs it)
    assertThat(pod.getShareProcessNamespace()).isTrue();
    Container app = pod.getContainers().getFirst();
    // the image's ENTRYPOINT and CMD run as they are
    assertThat(app.getCommand()).isEmpty();
    assertThat(app.getArgs()).isEmpty();
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
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("GREETING", "hello"),
            org.assertj.core.groups.Tuple.tuple("PORT", "8080"));
    assertThat(app.getVolumeMounts()).extracting("mountPath").containsExactly("/tmp");
    assertThat(
            deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
  }

  /** $PORT is the port the pod is checked on, whatever a variable or secret of that name says. */
  @Test
  void tellsTheAppItsPortOverAnyVariableOfThatName() {
    for (AppSpec told :
        List.of(
            spec.withPort(9000).asRevision(2, java.util.Map.of("PORT", "3000"), java.util.Map.of()),
            spec.withPort(9000).asRevision(2, java.util.Map.of(), java.util.Map.of("PORT", "1")))) {
      Container app =
          new DeploymentRenderer()
              .render(told)
              .getSpec()
              .getTemplate()
              .getSpec()
              .getContainers()
              .getFirst();
      assertThat(app.getEnv())
          .extracting("name", "value")
          .containsExactly(org.assertj.core.groups.Tuple.tuple("PORT", "9000"));
      assertThat(app.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9000);
    }
  }

  @Test
  void serviceTargetsTheAppPort() {
    Service service = new ServiceRenderer().render(spec);
    assertThat(service.getSpec().getSelector())
        .containsExactlyEntriesOf(java.util.Map.of("slipway.io/app-id", spec.ref().appId()));
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
  void egressIsDeniedButDnsToTheClusterResolverUnlessTheProjectOptsIn() {
    List<String> closed =
        renderer.render(spec).stream()
            .filter(o -> o instanceof NetworkPolicy)
            .map(o -> o.getMetadata().getName())
            .toList();
    assertThat(closed)
        .containsExactly(
            "default-deny-ingress", "default-deny-egress", spec.ref().appId() + "-allow-router");

    NetworkPolicy deny = new NetworkPolicyRenderer(settings).defaultDenyEgress(spec.ref());
    assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
    assertThat(deny.getSpec().getPolicyTypes()).containsExactly("Egress");
    var dns = deny.getSpec().getEgress().getFirst();
    assertThat(dns.getTo().getFirst().getNamespaceSelector().getMatchLabels())
        .containsExactlyEntriesOf(java.util.Map.of("kubernetes.io/metadata.name", "kube-system"));
    assertThat(dns.getTo().getFirst().getPodSelector().getMatchLabels())
        .containsExactlyEntriesOf(java.util.Map.of("k8s-app", "kube-dns"));
    assertThat(dns.getPorts())
        .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactly("UDP/53", "TCP/53");
    assertThat(deny.getSpec().getEgress()).hasSize(1);
  }

  @Test
  void anOptedInProjectReachesTheOutsideButNoPrivateOrLinkLocalRange() {
    List<HasMetadata> objects = renderer.render(spec, List.of(), java.util.Optional.empty(), true);
    NetworkPolicy allow =
        objects.stream()
            .filter(o -> "allow-egress".equals(o.getMetadata().getName()))
            .map(NetworkPolicy.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(allow.getMetadata().getNamespace()).isEqualTo(spec.ref().projectId());
    assertThat(allow.getSpec().getPolicyTypes()).containsExactly("Egress");
    var to = allow.getSpec().getEgress().getFirst().getTo();
    assertThat(to.get(0).getIpBlock().getCidr()).isEqualTo("0.0.0.0/0");
    assertThat(to.get(0).getIpBlock().getExcept())
        .containsExactlyInAnyOrder(
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.168.0.0/16");
    assertThat(to.get(1).getIpBlock().getCidr()).isEqualTo("::/0");
    assertThat(to.get(1).getIpBlock().getExcept())
        .containsExactlyInAnyOrder("::1/128", "fc00::/7", "fe80::/10");
    assertThat(allow.getSpec().getEgress().getFirst().getPorts()).isNullOrEmpty();
    assertThat(RestrictedProfile.violations(objects)).isEmpty();
  }

  @Test
  void ingressUsesTheClassAndTheAppHost() {
    Ingress ingress = new IngressRenderer(settings).render(spec);
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("traefik");
    assertThat(ingress.getSpec().getRules().getFirst().getHost())
        .isEqualTo("web--shop--acme.apps.example.test");
  }
}
