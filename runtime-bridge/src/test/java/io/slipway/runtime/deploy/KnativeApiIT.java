package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.driver.ServingConditions;
import io.slipway.runtime.kubernetes.KnativeCrd;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.render.KnativeServiceRenderer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The API on Kubernetes with Knative Serving installed (fabric8's CRUD mock with Knative's CRD, the
 * default {@code auto} finding it): scale to zero is accepted there, the app then runs as a Knative
 * Service, a revision Knative reports failed is the app's event in Knative's words, and opting out
 * brings its Deployment back with no Knative Service left. No Knative controller runs behind the
 * mock: the test plays it and the kubelet, one Running and Ready pod per Knative Service's current
 * revision and per wanted replica of every Deployment.
 */
@Import(KnativeApiIT.MockCluster.class)
class KnativeApiIT extends ApiFixture {

  static final KubernetesClient kube = startServer();
  static Thread kubelet;

  private static KubernetesClient startServer() {
    KubernetesClient client = MockApiServer.started();
    KnativeCrd.install(client);
    return client;
  }

  @Autowired KubernetesClient client;
  @Autowired RuntimeDriver driver;
  @Autowired ServingFailures failures;

  @TestConfiguration(proxyBeanMethods = false)
  static class MockCluster {
    @Bean
    @Primary
    KubernetesClient mockKubernetesClient() {
      return kube;
    }
  }

  @DynamicPropertySource
  static void kubernetes(DynamicPropertyRegistry registry) {
    MockApiServer.kubernetesDriver(registry);
  }

  @BeforeAll
  static void startCluster() {
    kubelet = Thread.ofVirtual().start(KnativeApiIT::playKnativeAndKubelet);
  }

  @AfterAll
  static void stopKubelet() {
    kubelet.interrupt();
  }

  @Test
  void aZeroScaledAppRunsAsAKnativeServiceItsFailureIsAnEventAndOptingOutBringsItsDeploymentBack()
      throws Exception {
    String alice = aliceWithApp();
    AppRef ref = site(alice);
    String ns = ref.projectId();
    String image = "registry.local/acme/site";
    try {
      JsonNode setting =
          bridge(
              alice,
              "PUT",
              appPath + "/scale-to-zero",
              "{\"enabled\":true,\"idleAfter\":\"10m\"}",
              200);
      assertThat(setting.path("enabled").asBoolean()).isTrue();
      assertThat(
              bridge(alice, "GET", appPath + "/scale-to-zero", null, 200)
                  .path("supported")
                  .asBoolean())
          .isTrue();

      JsonNode first =
          bridge(alice, "POST", appPath + "/deployments", deployment(image + ":1", 1, null), 201);
      assertThat(first.path("status").asString()).isEqualTo("live");
      assertThat(deployments(ns)).isEmpty();
      GenericKubernetesResource service = knativeService(ref).orElseThrow();
      assertThat((String) service.get("spec", "template", "metadata", "name"))
          .isEqualTo(ref.appId() + "-v1");
      assertThat((Map<String, String>) service.get("spec", "template", "metadata", "annotations"))
          .containsEntry(KnativeServiceRenderer.MIN_SCALE, "0")
          .containsEntry(KnativeServiceRenderer.WINDOW, "600s");
      assertThat(
              client
                  .network()
                  .v1()
                  .ingresses()
                  .inNamespace(ns)
                  .withName(ref.appId())
                  .get()
                  .getMetadata()
                  .getAnnotations())
          .containsEntry(
              KnativeServiceRenderer.UPSTREAM_HOST, KnativeServiceRenderer.clusterLocalHost(ref));

      // Knative reports the revision failed: its words become the app's event, once
      String why = "Revision \"" + ref.appId() + "-v1\" failed with message: exec format error.";
      fail(ref, why);
      failures.pass((ServingConditions) driver);
      failures.pass((ServingConditions) driver);
      JsonNode events = bridge(alice, "GET", appPath + "/events", null, 200);
      assertThat(events.findValuesAsString("reason"))
          .filteredOn("RevisionFailed"::equals)
          .hasSize(1);
      assertThat(events.findValuesAsString("message")).contains(why);

      bridge(alice, "PUT", appPath + "/scale-to-zero", "{\"enabled\":false}", 200);
      bridge(alice, "POST", appPath + "/deployments", deployment(image + ":2", 1, null), 201);
      assertThat(deployments(ns)).containsExactly(ref.appId() + "-v2");
      assertThat(knativeService(ref)).isEmpty();
    } finally {
      forgetTenant();
    }
  }

  @Test
  void anotherTenantsDeveloperCannotReadOrSetTheSetting() throws Exception {
    String alice = aliceWithApp();
    try {
      String mallory = user("mallory");
      bridge(mallory, "GET", appPath + "/scale-to-zero", null, 404);
      bridge(mallory, "PUT", appPath + "/scale-to-zero", "{\"enabled\":true}", 404);
      assertThat(
              bridge(alice, "GET", appPath + "/scale-to-zero", null, 200)
                  .path("enabled")
                  .asBoolean())
          .isFalse();
    } finally {
      forgetTenant();
    }
  }

  private void fail(AppRef ref, String message) {
    GenericKubernetesResource service = knativeService(ref).orElseThrow();
    service.setAdditionalProperty(
        "status",
        Map.of(
            "conditions",
            List.of(
                Map.of(
                    "type",
                    "Ready",
                    "status",
                    "False",
                    "reason",
                    "RevisionFailed",
                    "message",
                    message))));
    client
        .genericKubernetesResources(KnativeServiceRenderer.CONTEXT)
        .inNamespace(ref.namespace())
        .resource(service)
        .update();
  }

  private Optional<GenericKubernetesResource> knativeService(AppRef ref) {
    return KnativeServiceRenderer.knative(
        client
            .genericKubernetesResources(KnativeServiceRenderer.CONTEXT)
            .inNamespace(ref.namespace())
            .withName(ref.appId())
            .get());
  }

  private List<String> deployments(String ns) {
    return client.apps().deployments().inNamespace(ns).list().getItems().stream()
        .map(d -> d.getMetadata().getName())
        .sorted()
        .toList();
  }

  /** A pod, by name and labels, as the pods of a Deployment or a Knative revision would be. */
  private record Wanted(String namespace, String name, Map<String, String> labels) {}

  /** What Knative's controller and a kubelet would do, as far as the bridge can tell. */
  @SuppressWarnings("unchecked")
  private static void playKnativeAndKubelet() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Stream<Wanted> deployed =
            kube.apps().deployments().inAnyNamespace().list().getItems().stream()
                .flatMap(
                    (Deployment d) ->
                        Stream.iterate(0, i -> i < d.getSpec().getReplicas(), i -> i + 1)
                            .map(
                                i ->
                                    new Wanted(
                                        d.getMetadata().getNamespace(),
                                        d.getMetadata().getName() + "-" + i,
                                        d.getSpec().getTemplate().getMetadata().getLabels())));
        Stream<Wanted> served =
            kube
                .genericKubernetesResources(KnativeServiceRenderer.CONTEXT)
                .inAnyNamespace()
                .list()
                .getItems()
                .stream()
                .filter(s -> KnativeServiceRenderer.API_VERSION.equals(s.getApiVersion()))
                .map(
                    s ->
                        new Wanted(
                            s.getMetadata().getNamespace(),
                            s.get("spec", "template", "metadata", "name") + "-deployment-0",
                            (Map<String, String>) s.get("spec", "template", "metadata", "labels")));
        List<Wanted> wanted = Stream.concat(deployed, served).toList();
        Set<String> names =
            wanted.stream().map(w -> w.namespace() + "/" + w.name()).collect(Collectors.toSet());
        for (Pod pod : kube.pods().inAnyNamespace().list().getItems()) {
          if (!names.contains(
              pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName())) {
            kube.resource(pod).delete();
          }
        }
        for (Wanted w : wanted) {
          if (kube.pods().inNamespace(w.namespace()).withName(w.name()).get() == null) {
            kube.resource(
                    new PodBuilder()
                        .withNewMetadata()
                        .withName(w.name())
                        .withNamespace(w.namespace())
                        .withLabels(w.labels())
                        .endMetadata()
                        .withNewStatus()
                        .withPhase("Running")
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .endCondition()
                        .endStatus()
                        .build())
                .create();
          }
        }
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // an object deleted while being read: the next pass sees the settled state
      }
    }
  }
}
