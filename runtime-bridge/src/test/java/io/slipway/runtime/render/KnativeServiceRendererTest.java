package io.slipway.runtime.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.Specs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KnativeServiceRendererTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KnativeServiceRenderer renderer = new KnativeServiceRenderer();

  private static final Serving ZERO_AFTER_5M = new Serving(Duration.ofMinutes(5), null, null);

  static AppSpec spec(AppRef ref, Map<String, String> env, Map<String, String> secrets) {
    return new AppSpec(
        ref,
        3,
        "registry.local/acme/web:3",
        null,
        2,
        8080,
        env,
        250,
        64,
        "/health",
        AppSpec.DEFAULT_USER,
        true,
        secrets,
        Map.of());
  }

  private static PodSpec pod(GenericKubernetesResource service) {
    return JSON.convertValue(service.get("spec", "template", "spec"), PodSpec.class);
  }

  private static Map<String, String> annotations(GenericKubernetesResource service) {
    return service.get("spec", "template", "metadata", "annotations");
  }

  @Test
  void aZeroScaledAppIsAClusterLocalKnativeServiceOfItsIdWhoseRevisionIsNamedAsItsDeployment() {
    AppRef ref = Specs.ref("acme", "shop", "web");
    AppSpec spec = spec(ref, Map.of("GREETING", "hello"), Map.of("TOKEN", "s3cret"));

    GenericKubernetesResource service = renderer.render(spec, ZERO_AFTER_5M, Optional.empty());

    assertThat(service.getApiVersion()).isEqualTo("serving.knative.dev/v1");
    assertThat(service.getKind()).isEqualTo("Service");
    assertThat(service.getMetadata().getName()).isEqualTo(ref.appId());
    assertThat(service.getMetadata().getNamespace()).isEqualTo(ref.namespace());
    assertThat(service.getMetadata().getLabels())
        .containsAllEntriesOf(Labels.app(ref))
        .containsEntry("networking.knative.dev/visibility", "cluster-local");
    assertThat((String) service.get("spec", "template", "metadata", "name"))
        .isEqualTo(DeploymentRenderer.name(ref, 3))
        .startsWith(ref.appId() + "-");
    assertThat((Map<String, String>) service.get("spec", "template", "metadata", "labels"))
        .containsAllEntriesOf(Labels.app(ref))
        .containsEntry(Labels.REVISION, "3");
    assertThat(annotations(service))
        .containsEntry("autoscaling.knative.dev/min-scale", "0")
        .containsEntry("autoscaling.knative.dev/max-scale", "2")
        .containsEntry("autoscaling.knative.dev/window", "300s")
        .doesNotContainKeys(
            "autoscaling.knative.dev/target",
            "autoscaling.knative.dev/scale-to-zero-pod-retention-period");
    Map<String, Object> templateSpec = service.get("spec", "template", "spec");
    assertThat(templateSpec).doesNotContainKeys("containerConcurrency", "timeoutSeconds");
  }

  @Test
  void theRevisionRunsTheDeploymentsRestrictedPodButForWhatKnativeReserves() {
    AppRef ref = Specs.ref("acme", "shop", "web");
    AppSpec spec = spec(ref, Map.of("GREETING", "hello"), Map.of("TOKEN", "s3cret"));

    PodSpec knative = pod(renderer.render(spec, ZERO_AFTER_5M, Optional.empty()));
    PodSpec deployed = new DeploymentRenderer().template(spec).getSpec();

    assertThat(RestrictedProfile.violations(knative)).isEmpty();
    assertThat(knative.getAutomountServiceAccountToken()).isFalse();
    assertThat(knative.getShareProcessNamespace()).isTrue();
    assertThat(knative.getSecurityContext()).isEqualTo(deployed.getSecurityContext());
    assertThat(knative.getVolumes()).isEqualTo(deployed.getVolumes());
    var container = knative.getContainers().getFirst();
    var original = deployed.getContainers().getFirst();
    assertThat(container.getSecurityContext()).isEqualTo(original.getSecurityContext());
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getResources().getRequests())
        .isEqualTo(container.getResources().getLimits())
        .isEqualTo(original.getResources().getLimits());
    assertThat(container.getReadinessProbe()).isEqualTo(original.getReadinessProbe());
    assertThat(container.getImage()).isEqualTo("registry.local/acme/web:3");
    // Knative sets PORT from the container port and refuses a template that sets it
    assertThat(container.getEnv())
        .extracting(e -> e.getName())
        .containsExactly("GREETING", "TOKEN");
    assertThat(container.getEnv().get(1).getValue()).isNull();
    assertThat(container.getEnv().get(1).getValueFrom().getSecretKeyRef().getName())
        .isEqualTo(SecretRenderer.name(ref, 3));
    assertThat(container.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http1");
              assertThat(p.getContainerPort()).isEqualTo(8080);
            });
  }

  @Test
  void aFunctionTakesOneInvocationAtATimeForAtMostItsTimeout() {
    AppSpec spec = spec(Specs.ref("acme", "shop", "fn"), Map.of(), Map.of());

    GenericKubernetesResource function =
        renderer.render(spec, new Serving(null, null, 45), Optional.empty());

    Map<String, Object> templateSpec = function.get("spec", "template", "spec");
    assertThat(templateSpec)
        .containsEntry("containerConcurrency", 1)
        .containsEntry("timeoutSeconds", 45);
    assertThat(annotations(function))
        .containsEntry("autoscaling.knative.dev/min-scale", "0")
        .doesNotContainKeys("autoscaling.knative.dev/window");
  }

  @Test
  void autoscalingSetsTheTargetAndTheMaxWithinWhatTheProjectQuotaHolds() {
    AppSpec spec = spec(Specs.ref("acme", "shop", "web"), Map.of(), Map.of());
    Serving scaled = new Serving(Duration.ofMinutes(2), new Serving.Scale(1, 8, 25), null);

    assertThat(annotations(renderer.render(spec, scaled, Optional.empty())))
        .containsEntry("autoscaling.knative.dev/max-scale", "8")
        .containsEntry("autoscaling.knative.dev/target", "25")
        .containsEntry("autoscaling.knative.dev/window", "120s");
    // 1000m of CPU holds four instances of 250m; replicas and memory would hold more
    ProjectQuota quota = new ProjectQuota(1000L, 4096L, 20L);
    assertThat(annotations(renderer.render(spec, scaled, Optional.of(quota))))
        .containsEntry("autoscaling.knative.dev/max-scale", "4");
    // a quota that holds none still gives 1: Knative reads 0 as no bound at all
    ProjectQuota full = new ProjectQuota(100L, null, null);
    assertThat(annotations(renderer.render(spec, scaled, Optional.of(full))))
        .containsEntry("autoscaling.knative.dev/max-scale", "1");
  }

  @Test
  void anIdlePeriodPastKnativesLongestWindowWaitsTheRestAsTheLastPodsRetention() {
    AppSpec spec = spec(Specs.ref("acme", "shop", "web"), Map.of(), Map.of());

    Map<String, String> annotations =
        annotations(
            renderer.render(spec, new Serving(Duration.ofHours(3), null, null), Optional.empty()));

    assertThat(annotations)
        .containsEntry("autoscaling.knative.dev/window", "3600s")
        .containsEntry("autoscaling.knative.dev/scale-to-zero-pod-retention-period", "7200s");
  }

  @Test
  void aHostileEnvValueStaysOneValueOfTheStructure() {
    String hostile = "x\", \"containerConcurrency\": 1000, \"y\": \"${PORT}</spec>";
    AppSpec spec = spec(Specs.ref("acme", "shop", "web"), Map.of("EVIL", hostile), Map.of());

    GenericKubernetesResource service = renderer.render(spec, ZERO_AFTER_5M, Optional.empty());
    GenericKubernetesResource parsed =
        JSON.unmarshal(JSON.asYaml(service), GenericKubernetesResource.class);

    Map<String, Object> templateSpec = parsed.get("spec", "template", "spec");
    assertThat(templateSpec).doesNotContainKey("containerConcurrency");
    assertThat(pod(parsed).getContainers().getFirst().getEnv())
        .singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo(hostile));
    assertThat((Map<String, Object>) parsed.get("spec")).containsOnlyKeys("template");
  }

  @Test
  void theManifestOfAKnativeAppHasNoDeploymentNorServiceOfItsOwnAndItsIngressGoesOnToKnative() {
    AppRef ref = Specs.ref("acme", "shop", "web");
    AppSpec spec = spec(ref, Map.of(), Map.of());

    List<String> kinds =
        new ManifestRenderer(RenderSettings.defaults())
            .render(spec, List.of(), Optional.empty(), false, Optional.of(ZERO_AFTER_5M)).stream()
                .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                .toList();

    assertThat(kinds)
        .contains("Service/" + ref.appId(), "Ingress/" + ref.appId())
        .contains("NetworkPolicy/" + ref.appId() + "-allow-knative")
        .doesNotContain("Deployment/" + DeploymentRenderer.name(ref, 3))
        .doesNotContain("NetworkPolicy/" + ref.appId() + "-allow-router");
    Ingress ingress =
        (Ingress)
            new ManifestRenderer(RenderSettings.defaults())
                    .render(spec, List.of(), Optional.empty(), false, Optional.of(ZERO_AFTER_5M))
                    .stream()
                    .filter(Ingress.class::isInstance)
                    .findFirst()
                    .orElseThrow();
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry(
            "nginx.ingress.kubernetes.io/upstream-vhost",
            ref.appId() + "." + ref.namespace() + ".svc.cluster.local");
    assertThat(ingress.getSpec().getRules().getFirst().getHttp().getPaths().getFirst())
        .satisfies(p -> assertThat(p.getBackend().getService().getName()).isEqualTo(ref.appId()));
  }
}
