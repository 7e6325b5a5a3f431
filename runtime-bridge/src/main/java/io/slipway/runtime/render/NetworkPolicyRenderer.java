package io.slipway.runtime.render;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import java.util.List;

/**
 * Network policies: per project, one that denies all ingress to its pods and one that denies all
 * their egress but DNS to the cluster's resolver, plus, only when the project opts in, one that
 * lets them reach the outside (never the cluster's or private ranges, nor link-local metadata); per
 * app, one that lets only the router's namespace in, on the app's port. Replies to allowed
 * connections are always let through (policies are stateful).
 */
public final class NetworkPolicyRenderer {

  public static final String DEFAULT_DENY = "default-deny-ingress";
  public static final String DEFAULT_DENY_EGRESS = "default-deny-egress";
  public static final String ALLOW_EGRESS = "allow-egress";

  /** What an opted-in project still cannot reach: private, shared, loopback, link-local. */
  static final List<String> CLOSED_IPV4 =
      List.of(
          "10.0.0.0/8",
          "100.64.0.0/10",
          "127.0.0.0/8",
          "169.254.0.0/16",
          "172.16.0.0/12",
          "192.168.0.0/16");

  static final List<String> CLOSED_IPV6 = List.of("::1/128", "fc00::/7", "fe80::/10");

  private final RenderSettings settings;

  public NetworkPolicyRenderer(RenderSettings settings) {
    this.settings = settings;
  }

  public NetworkPolicy defaultDeny(AppRef ref) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(DEFAULT_DENY)
        .withNamespace(ref.namespace())
        .withLabels(Labels.project(ref))
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .endPodSelector()
        .withPolicyTypes(List.of("Ingress"))
        .endSpec()
        .build();
  }

  public NetworkPolicy allowRouter(AppSpec spec) {
    return allowRouter(spec.ref(), spec.port());
  }

  /**
   * Lets the router's namespace reach the app's pods (its instances, or its VM) on {@code port}.
   */
  public NetworkPolicy allowRouter(AppRef ref, int port) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(ref.appId() + "-allow-router")
        .withNamespace(ref.namespace())
        .withLabels(Labels.app(ref))
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(Labels.selector(ref))
        .endPodSelector()
        .withPolicyTypes(List.of("Ingress"))
        .addNewIngress()
        .addNewFrom()
        .withNewNamespaceSelector()
        .addToMatchLabels(settings.routerNamespaceLabel(), settings.routerNamespaceValue())
        .endNamespaceSelector()
        .endFrom()
        .addNewPort()
        .withProtocol("TCP")
        .withPort(new IntOrString(port))
        .endPort()
        .endIngress()
        .endSpec()
        .build();
  }

  /** No egress but DNS queries to the cluster's DNS (kube-dns / CoreDNS in kube-system). */
  public NetworkPolicy defaultDenyEgress(AppRef ref) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(DEFAULT_DENY_EGRESS)
        .withNamespace(ref.namespace())
        .withLabels(Labels.project(ref))
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .endPodSelector()
        .withPolicyTypes(List.of("Egress"))
        .addNewEgress()
        .addNewTo()
        .withNewNamespaceSelector()
        .addToMatchLabels("kubernetes.io/metadata.name", "kube-system")
        .endNamespaceSelector()
        .withNewPodSelector()
        .addToMatchLabels("k8s-app", "kube-dns")
        .endPodSelector()
        .endTo()
        .addNewPort()
        .withProtocol("UDP")
        .withPort(new IntOrString(53))
        .endPort()
        .addNewPort()
        .withProtocol("TCP")
        .withPort(new IntOrString(53))
        .endPort()
        .endEgress()
        .endSpec()
        .build();
  }

  /** The outside, for a project that opted in: any address but the cluster's and private ones. */
  public NetworkPolicy allowEgress(String namespace, java.util.Map<String, String> labels) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(ALLOW_EGRESS)
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .endPodSelector()
        .withPolicyTypes(List.of("Egress"))
        .addNewEgress()
        .addNewTo()
        .withNewIpBlock()
        .withCidr("0.0.0.0/0")
        .withExcept(CLOSED_IPV4)
        .endIpBlock()
        .endTo()
        .addNewTo()
        .withNewIpBlock()
        .withCidr("::/0")
        .withExcept(CLOSED_IPV6)
        .endIpBlock()
        .endTo()
        .endEgress()
        .endSpec()
        .build();
  }

  public NetworkPolicy allowEgress(AppRef ref) {
    return allowEgress(ref.namespace(), Labels.project(ref));
  }
}
