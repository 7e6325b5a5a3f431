package io.slipway.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.slipway.runtime.driver.RevisionState;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.Specs;
import io.slipway.runtime.render.DeploymentRenderer;
import io.slipway.runtime.render.KnativeServiceRenderer;
import io.slipway.runtime.render.Labels;
import io.slipway.runtime.render.ManifestRenderer;
import io.slipway.runtime.render.ProjectQuota;
import io.slipway.runtime.render.RenderSettings;
import io.slipway.runtime.render.RestrictedProfile;
import io.slipway.runtime.render.Serving;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kubernetes driver with Knative Serving installed: fabric8's mock API server in CRUD mode with
 * Knative's {@code services.serving.knative.dev} CRD, which makes it serve the API group's
 * discovery as a cluster with Knative does.
 */
@EnableKubernetesMockClient(crud = true)
class KnativeDriverTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final Serving ZERO = new Serving(Duration.ofMinutes(5), null, null);

  KubernetesClient client;

  private final Map<String, Serving> servings = new ConcurrentHashMap<>();
  private final Map<String, ProjectQuota> quotas = new ConcurrentHashMap<>();

  private final KubernetesDriver.Context context =
      new KubernetesDriver.Context() {
        @Override
        public List<String> domains(AppRef ref) {
          return List.of();
        }

        @Override
        public Optional<ProjectQuota> quota(AppRef ref) {
          return Optional.ofNullable(quotas.get(ref.projectId()));
        }

        @Override
        public Serving serving(AppSpec spec) {
          return servings.getOrDefault(spec.ref().appId(), Serving.NONE);
        }
      };

  @BeforeEach
  void installKnative() {
    KnativeCrd.install(client);
  }

  private KubernetesDriver driver(KnativeMode mode) {
    return new KubernetesDriver(
        client, new ManifestRenderer(RenderSettings.defaults()), context, mode, Clock.systemUTC());
  }

  private static AppSpec spec(AppRef ref, int revision) {
    return Specs.web(ref, revision, "registry.local/acme/web:" + revision, 1);
  }

  private Optional<GenericKubernetesResource> knativeService(AppRef ref) {
    return Optional.ofNullable(
        client
            .genericKubernetesResources(KnativeServiceRenderer.CONTEXT)
            .inNamespace(ref.namespace())
            .withName(ref.appId())
            .get());
  }

  /** The app's objects, as {@code Kind/name}, read behind the driver's back. */
  private List<String> objects(AppRef ref) {
    String ns = ref.namespace();
    return Stream.of(
            client.apps().deployments().inNamespace(ns).list().getItems().stream(),
            // fabric8's mock lists Knative Services among the core ones too: only v1 here
            client.services().inNamespace(ns).list().getItems().stream()
                .filter(s -> "v1".equals(s.getApiVersion())),
            client.network().v1().ingresses().inNamespace(ns).list().getItems().stream(),
            client.network().v1().networkPolicies().inNamespace(ns).list().getItems().stream(),
            client
                .genericKubernetesResources(KnativeServiceRenderer.CONTEXT)
                .inNamespace(ns)
                .list()
                .getItems()
                .stream())
        .flatMap(s -> s)
        .filter(o -> ref.appId().equals(o.getMetadata().getLabels().get(Labels.APP_ID)))
        .map(
            o ->
                (o instanceof GenericKubernetesResource ? "Knative" : "")
                    + o.getKind()
                    + "/"
                    + o.getMetadata().getName())
        .toList();
  }

  @Test
  void autoFindsKnativeThroughDiscoveryAndServesAZeroScaledAppByIt() {
    AppRef ref = Specs.ref("acme", "shop", "web");
    servings.put(ref.appId(), ZERO);
    KubernetesDriver driver = driver(KnativeMode.AUTO);

    driver.apply(spec(ref, 1));

    assertThat(driver.knativeAvailable()).isTrue();
    assertThat(objects(ref))
        .containsExactlyInAnyOrder(
            "KnativeService/" + ref.appId(),
            "Ingress/" + ref.appId(),
            "NetworkPolicy/" + ref.appId() + "-allow-knative");
    GenericKubernetesResource service = knativeService(ref).orElseThrow();
    PodSpec pod = JSON.convertValue(service.get("spec", "template", "spec"), PodSpec.class);
    assertThat(RestrictedProfile.violations(pod)).isEmpty();
    assertThat(ingressAnnotations(ref))
        .containsEntry(
            KnativeServiceRenderer.UPSTREAM_HOST, KnativeServiceRenderer.clusterLocalHost(ref));
  }

  @Test
  void aPlainAppKeepsItsDeploymentWhereKnativeIsOn() {
    AppRef ref = Specs.ref("acme", "shop", "plain");
    driver(KnativeMode.ON).apply(spec(ref, 1));

    assertRunsAsADeployment(ref);
  }

  private void assertRunsAsADeployment(AppRef ref) {
    assertThat(objects(ref))
        .contains("Deployment/" + DeploymentRenderer.name(ref, 1), "Service/" + ref.appId())
        .noneMatch(o -> o.startsWith("Knative"));
  }

  @Test
  void offRendersADeploymentEvenWhereKnativeIsInstalled() {
    AppRef ref = Specs.ref("acme", "shop", "web");
    servings.put(ref.appId(), ZERO);
    KubernetesDriver driver = driver(KnativeMode.OFF);

    driver.apply(spec(ref, 1));

    assertThat(driver.knativeAvailable()).isFalse();
    assertRunsAsADeployment(ref);
  }

  @Test
  void aNewRevisionAndNewScaleSettingsUpdateTheOneKnativeService() {
    AppRef ref = Specs.ref("acme", "shop", "web");
    servings.put(ref.appId(), ZERO);
    KubernetesDriver driver = driver(KnativeMode.AUTO);
    driver.apply(spec(ref, 1));

    servings.put(
        ref.appId(), new Serving(Duration.ofMinutes(2), new Serving.Scale(1, 6, 20), null));
    quotas.put(ref.projectId(), new ProjectQuota(null, null, 3L));
    driver.apply(spec(ref, 2));

    assertThat(objects(ref)).filteredOn(o -> o.startsWith("Knative")).hasSize(1);
    GenericKubernetesResource service = knativeService(ref).orElseThrow();
    assertThat((String) service.get("spec", "template", "metadata", "name"))
        .isEqualTo(ref.appId() + "-v2");
    assertThat((Map<String, String>) service.get("spec", "template", "metadata", "annotations"))
        .containsEntry(KnativeServiceRenderer.MAX_SCALE, "3")
        .containsEntry(KnativeServiceRenderer.TARGET, "20")
        .containsEntry(KnativeServiceRenderer.WINDOW, "120s");
    assertThat(
            JSON.convertValue(service.get("spec", "template", "spec"), PodSpec.class)
                .getContainers()
                .getFirst()
                .getImage())
        .isEqualTo("registry.local/acme/web:2");
    assertThat(driver.observe(ref)).extracting(RevisionState::revision).containsExactly(2);
  }

  @Test
  void switchingBetweenDeploymentAndKnativeLeavesNoObjectOfTheOtherKind() {
    AppRef ref = Specs.ref("acme", "shop", "web");
    KubernetesDriver driver = driver(KnativeMode.AUTO);
    driver.apply(spec(ref, 1));
    List<String> deployed = objects(ref);

    servings.put(ref.appId(), ZERO);
    driver.apply(spec(ref, 1));
    assertThat(objects(ref))
        .containsExactlyInAnyOrder(
            "KnativeService/" + ref.appId(),
            "Ingress/" + ref.appId(),
            "NetworkPolicy/" + ref.appId() + "-allow-knative");

    servings.remove(ref.appId());
    driver.apply(spec(ref, 1));
    assertThat(objects(ref)).containsExactlyInAnyOrderElementsOf(deployed);
    assertThat(ingressAnnotations(ref)).doesNotContainKey(KnativeServiceRenderer.UPSTREAM_HOST);
  }

  @Test
  void theRouterKeepsAKnativeAppsIngressGoingOnToKnativeWhenItRoutesOrParks() {
    AppRef ref = Specs.ref("acme", "shop", "web");
    servings.put(ref.appId(), ZERO);
    KubernetesDriver driver = driver(KnativeMode.AUTO);
    driver.apply(spec(ref, 1));
    RenderSettings settings = RenderSettings.defaults();
    IngressRouter router =
        new IngressRouter(
            client, new ManifestRenderer(settings), settings, driver::knativeAvailable);

    router.route(ref, List.of(settings.host(ref)), List.of());
    Map<String, String> routed = ingressAnnotations(ref);
    router.park(ref, List.of(settings.host(ref)), io.slipway.runtime.router.Parked.STARTING);

    assertThat(routed)
        .containsEntry(
            KnativeServiceRenderer.UPSTREAM_HOST, KnativeServiceRenderer.clusterLocalHost(ref));
    assertThat(ingressAnnotations(ref))
        .containsEntry(
            KnativeServiceRenderer.UPSTREAM_HOST, KnativeServiceRenderer.clusterLocalHost(ref))
        .containsEntry(IngressRouter.PARKED_ANNOTATION, "starting");
  }

  private Map<String, String> ingressAnnotations(AppRef ref) {
    return client
        .network()
        .v1()
        .ingresses()
        .inNamespace(ref.namespace())
        .withName(ref.appId())
        .get()
        .getMetadata()
        .getAnnotations();
  }

  @Test
  void removingAnAppOrItsProjectOrTenantRemovesItsKnativeService() {
    KubernetesDriver driver = driver(KnativeMode.AUTO);
    AppRef app = Specs.ref("acme", "shop", "web");
    AppRef project = Specs.ref("acme", "blog", "web");
    AppRef tenant = Specs.ref("umbrella", "shop", "web");
    for (AppRef ref : List.of(app, project, tenant)) {
      servings.put(ref.appId(), ZERO);
      driver.apply(spec(ref, 1));
    }

    driver.removeApp(app);
    driver.removeProject(project.projectId());
    driver.removeTenant(tenant.tenantId());

    assertThat(knativeService(app)).isEmpty();
    assertThat(knativeService(project)).isEmpty();
    assertThat(knativeService(tenant)).isEmpty();
  }

  @Test
  void twoTenantsWithEqualProjectAndAppNamesNeverTouchEachOthersKnativeService() {
    KubernetesDriver driver = driver(KnativeMode.AUTO);
    AppRef mine = Specs.ref("acme", "shop", "web");
    AppRef theirs = Specs.ref("umbrella", "shop", "web");
    servings.put(mine.appId(), ZERO);
    servings.put(theirs.appId(), ZERO);
    driver.apply(spec(mine, 1));
    driver.apply(spec(theirs, 1));
    List<String> theirObjects = objects(theirs);
    String theirTemplate = JSON.asJson(knativeService(theirs).orElseThrow().get("spec"));

    servings.remove(mine.appId());
    driver.apply(spec(mine, 2));
    assertThat(objects(theirs)).containsExactlyInAnyOrderElementsOf(theirObjects);
    driver.removeApp(mine);

    assertThat(mine.namespace()).isNotEqualTo(theirs.namespace());
    assertThat(objects(theirs)).containsExactlyInAnyOrderElementsOf(theirObjects);
    assertThat(JSON.asJson(knativeService(theirs).orElseThrow().get("spec")))
        .isEqualTo(theirTemplate);
    assertThat(driver.observe(theirs)).extracting(RevisionState::revision).containsExactly(1);
  }

  @Test
  void aFailedRevisionIsReadFromTheKnativeServicesReadyCondition() {
    AppRef ref = Specs.ref("acme", "shop", "web");
    servings.put(ref.appId(), ZERO);
    KubernetesDriver driver = driver(KnativeMode.AUTO);
    driver.apply(spec(ref, 1));
    assertThat(driver.knativeStatus(ref))
        .hasValueSatisfying(s -> assertThat(s.ready()).isEqualTo("Unknown"));

    GenericKubernetesResource service = knativeService(ref).orElseThrow();
    service.setAdditionalProperty(
        "status",
        Map.of(
            "url",
            "http://" + KnativeServiceRenderer.clusterLocalHost(ref),
            "latestReadyRevisionName",
            ref.appId() + "-v1",
            "conditions",
            List.of(
                Map.of("type", "ConfigurationsReady", "status", "False"),
                Map.of(
                    "type", "Ready",
                    "status", "False",
                    "reason", "RevisionFailed",
                    "message", "Revision \"" + ref.appId() + "-v1\" failed: exec format error"))));
    client
        .genericKubernetesResources(KnativeServiceRenderer.CONTEXT)
        .inNamespace(ref.namespace())
        .resource(service)
        .update();
    client
        .pods()
        .inNamespace(ref.namespace())
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(ref.appId() + "-v1-deployment-abc")
                .withNamespace(ref.namespace())
                .withLabels(Labels.app(ref))
                .addToLabels(Labels.REVISION, "1")
                .endMetadata()
                .withNewStatus()
                .withPhase("Running")
                .endStatus()
                .build())
        .create();

    KnativeStatus status = driver.knativeStatus(ref).orElseThrow();
    assertThat(status.failed()).isTrue();
    assertThat(status.reason()).isEqualTo("RevisionFailed");
    assertThat(status.message()).contains("exec format error");
    assertThat(status.url()).isEqualTo("http://" + KnativeServiceRenderer.clusterLocalHost(ref));
    assertThat(status.latestReadyRevision()).isEqualTo(ref.appId() + "-v1");
    assertThat(driver.observe(ref))
        .singleElement()
        .satisfies(
            state -> {
              assertThat(state.revision()).isEqualTo(1);
              assertThat(state.instances()).hasSize(1);
            });
  }
}
