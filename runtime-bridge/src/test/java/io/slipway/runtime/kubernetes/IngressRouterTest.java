package io.slipway.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.Specs;
import io.slipway.runtime.render.ManifestRenderer;
import io.slipway.runtime.render.RenderSettings;
import io.slipway.runtime.router.Parked;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Ingress router parks an app by keeping its Ingress, to its own Service, marked with why; an
 * app whose project has no namespace yet (never deployed) gets nothing. Against fabric8's mock API
 * server in CRUD mode.
 */
@EnableKubernetesMockClient(crud = true)
class IngressRouterTest {

  KubernetesClient client;

  private final RenderSettings settings = RenderSettings.defaults();

  @Test
  void aParkedAppKeepsItsIngressMarkedWithWhyUntilRoutedAgain() {
    IngressRouter router = new IngressRouter(client, new ManifestRenderer(settings), settings);
    AppRef ref = Specs.ref("acme", "shop", "web");
    String own = settings.host(ref);

    router.park(ref, List.of(own, "shop.example.com"), Parked.NOT_DEPLOYED);
    assertThat(ingress(ref)).isNull();
    assertThat(router.routed()).doesNotContain(ref);

    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ref.namespace())
                .endMetadata()
                .build())
        .create();
    router.park(ref, List.of(own, "shop.example.com"), Parked.STOPPED);
    Ingress parked = ingress(ref);
    assertThat(parked.getMetadata().getAnnotations())
        .containsEntry(IngressRouter.PARKED_ANNOTATION, "stopped");
    assertThat(parked.getSpec().getRules())
        .extracting(IngressRule::getHost)
        .containsExactly(own, "shop.example.com");
    assertThat(
            parked
                .getSpec()
                .getRules()
                .getFirst()
                .getHttp()
                .getPaths()
                .getFirst()
                .getBackend()
                .getService()
                .getName())
        .isEqualTo(ref.appId());
    assertThat(router.routed()).contains(ref);

    router.park(ref, List.of(own), Parked.SCALED_TO_ZERO);
    assertThat(ingress(ref).getMetadata().getAnnotations())
        .containsEntry(IngressRouter.PARKED_ANNOTATION, "scaled-to-zero");

    router.route(ref, List.of(own), List.of());
    assertThat(ingress(ref).getMetadata().getAnnotations())
        .doesNotContainKey(IngressRouter.PARKED_ANNOTATION);
    router.unroute(ref);
    assertThat(ingress(ref)).isNull();
  }

  private Ingress ingress(AppRef ref) {
    return client
        .network()
        .v1()
        .ingresses()
        .inNamespace(ref.namespace())
        .withName(ref.appId())
        .get();
  }
}
