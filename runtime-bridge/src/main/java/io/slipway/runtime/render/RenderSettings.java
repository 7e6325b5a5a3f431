package io.slipway.runtime.render;

import java.util.Objects;

/**
 * What the rendered objects depend on besides the app: the apps domain, the Ingress class and how
 * the router's namespace is recognised by network policies.
 *
 * @param domain apps answer at {@code <host label>.apps.<domain>} (tenant-service reserves {@code
 *     <app>--<project>--<tenant>})
 * @param ingressClass the {@code ingressClassName} of every Ingress
 * @param routerNamespaceLabel label key that marks the router's namespace
 * @param routerNamespaceValue its value
 */
public record RenderSettings(
    String domain, String ingressClass, String routerNamespaceLabel, String routerNamespaceValue) {

  public RenderSettings {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(ingressClass, "ingressClass");
    Objects.requireNonNull(routerNamespaceLabel, "routerNamespaceLabel");
    Objects.requireNonNull(routerNamespaceValue, "routerNamespaceValue");
  }

  /**
   * Local defaults: {@code apps.localhost}, class {@code nginx}, router namespace {@code
   * ingress-nginx}.
   */
  public static RenderSettings defaults() {
    return new RenderSettings("localhost", "nginx", "kubernetes.io/metadata.name", "ingress-nginx");
  }

  /**
   * The host an app answers at: the label tenant-service reserved for it, under the apps domain.
   */
  public String host(io.slipway.runtime.model.AppRef ref) {
    return ref.hostLabel() + ".apps." + domain;
  }
}
