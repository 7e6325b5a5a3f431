package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.slipway.runtime.kubernetes.IngressRouter;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.render.Labels;
import io.slipway.runtime.render.RestrictedProfile;
import java.util.List;
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
 * The same deploy API with {@code slipway.runtime.driver=kubernetes}, against fabric8's mock API
 * server in CRUD mode: deploy, redeploy, rollback, scale, env and a secret (a Kubernetes Secret), a
 * custom domain (an Ingress rule), stop, start and delete, with the project's quota as
 * ResourceQuota and LimitRange and every object applied passing the restricted profile. No kubelet
 * runs behind the mock: the test plays it, making one Running and Ready pod per wanted replica of
 * every Deployment (and removing pods whose Deployment is gone).
 */
@Import(KubernetesDeploymentApiIT.MockCluster.class)
class KubernetesDeploymentApiIT extends ApiFixture {

  static final KubernetesClient kube = MockApiServer.started();
  static Thread kubelet;

  @Autowired KubernetesClient client;

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
    kubelet = Thread.ofVirtual().start(KubernetesDeploymentApiIT::playKubelet);
  }

  @AfterAll
  static void stopKubelet() {
    kubelet.interrupt();
  }

  @Test
  void deploysConfiguresRoutesStopsAndDeletesOnKubernetes() throws Exception {
    String alice = aliceWithApp();
    AppRef ref = site(alice);
    String ns = ref.projectId();
    String site = ref.appId();
    String image = "registry.local/acme/site";
    try {
      JsonNode first =
          bridge(alice, "POST", appPath + "/deployments", deployment(image + ":1", 1, null), 201);
      assertThat(first.path("status").asString()).isEqualTo("live");
      assertThat(first.path("stages").findValuesAsString("name"))
          .containsExactly("admission", "start", "health", "route");
      assertThat(deployments(ns)).containsExactly(site + "-v1");
      assertThat(hosts(ns)).containsExactly(siteHost());

      // The project's quota as the cluster enforces it.
      var quota = client.resourceQuotas().inNamespace(ns).withName("project-quota").get();
      assertThat(quota.getSpec().getHard().get("limits.cpu").toString()).isEqualTo("1000m");
      assertThat(client.limitRanges().inNamespace(ns).withName("project-limits").get()).isNotNull();

      bridge(alice, "POST", appPath + "/deployments", deployment(image + ":2", 1, null), 201);
      assertThat(deployments(ns)).containsExactly(site + "-v2");
      JsonNode back = bridge(alice, "POST", appPath + "/rollback", "{\"revision\":1}", 201);
      assertThat(back.path("status").asString()).isEqualTo("live");
      assertThat(deployments(ns)).containsExactly(site + "-v3");
      assertThat(deployment(ns, site + "-v3").getSpec().getTemplate().getSpec().getContainers())
          .first()
          .satisfies(c -> assertThat(c.getImage()).isEqualTo(image + ":1"));

      bridge(alice, "POST", appPath + "/scale", "{\"replicas\":3}", 200);
      assertThat(deployment(ns, site + "-v3").getSpec().getReplicas()).isEqualTo(3);
      bridge(alice, "POST", appPath + "/scale", "{\"replicas\":1}", 200);

      // Env and a secret: a new revision whose pods read the value from its Secret.
      String put = "{\"env\":{\"GREETING\":\"hi\"},\"secrets\":{\"TOKEN\":\"k8s-" + suffix + "\"}}";
      bridge(alice, "PUT", appPath + "/env", put, 200);
      assertThat(deployments(ns)).containsExactly(site + "-v4");
      var secret = client.secrets().inNamespace(ns).withName(site + "-v4-env").get();
      assertThat(secret.getStringData()).containsEntry("TOKEN", "k8s-" + suffix);
      var env = deployment(ns, site + "-v4").getSpec().getTemplate().getSpec().getContainers();
      assertThat(env.getFirst().getEnv())
          .anySatisfy(
              e -> {
                assertThat(e.getName()).isEqualTo("TOKEN");
                assertThat(e.getValue()).isNull();
                assertThat(e.getValueFrom().getSecretKeyRef().getName())
                    .isEqualTo(site + "-v4-env");
              })
          .anySatisfy(e -> assertThat(e.getValue()).isEqualTo("hi"));

      // A custom domain is one more rule of the app's Ingress once proven (by its DNS TXT record
      // here: the Ingress router answers no HTTP challenge); pending, it has none.
      String domain = "k8s-" + suffix + ".example.com";
      String token =
          bridge(alice, "POST", appPath + "/domains", "{\"domain\":\"" + domain + "\"}", 201)
              .path("token")
              .asString();
      assertThat(hosts(ns)).containsExactly(siteHost());
      TestDns.txt("_slipway-challenge." + domain, token);
      bridge(alice, "POST", appPath + "/domains/" + domain + "/verify", null, 200);
      TestDns.forget(domain);
      assertThat(hosts(ns)).containsExactly(siteHost(), domain);

      assertThat(RestrictedProfile.violations(everything(ns))).isEmpty();

      JsonNode stopped = bridge(alice, "POST", appPath + "/stop", null, 200);
      assertThat(stopped.path("stopped").asBoolean()).isTrue();
      assertThat(deployments(ns)).isEmpty();
      // The Ingress stays, marked stopped, to the Service that has no pod: the controller's 503
      assertThat(hosts(ns)).containsExactly(siteHost(), domain);
      assertThat(ingressAnnotations(ns, site))
          .containsEntry(IngressRouter.PARKED_ANNOTATION, "stopped");
      bridge(alice, "POST", appPath + "/start", null, 200);
      assertThat(ingressAnnotations(ns, site)).doesNotContainKey(IngressRouter.PARKED_ANNOTATION);
      assertThat(deployments(ns)).containsExactly(site + "-v4");
      assertThat(hosts(ns)).contains(domain);

      bridge(alice, "DELETE", appPath, null, 204);
      assertThat(everything(ns))
          .noneMatch(o -> site.equals(o.getMetadata().getLabels().get(Labels.APP_ID)));
    } finally {
      forgetTenant();
    }
  }

  /** The annotations of the app's Ingress (none: empty). */
  private java.util.Map<String, String> ingressAnnotations(String ns, String name) {
    var annotations =
        client
            .network()
            .v1()
            .ingresses()
            .inNamespace(ns)
            .withName(name)
            .get()
            .getMetadata()
            .getAnnotations();
    return annotations == null ? java.util.Map.of() : annotations;
  }

  private Deployment deployment(String ns, String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  private List<String> deployments(String ns) {
    return client.apps().deployments().inNamespace(ns).list().getItems().stream()
        .map(d -> d.getMetadata().getName())
        .sorted()
        .toList();
  }

  private List<String> hosts(String ns) {
    return client.network().v1().ingresses().inNamespace(ns).list().getItems().stream()
        .flatMap(i -> i.getSpec().getRules().stream())
        .map(IngressRule::getHost)
        .toList();
  }

  private List<HasMetadata> everything(String ns) {
    return Stream.<List<? extends HasMetadata>>of(
            client.apps().deployments().inNamespace(ns).list().getItems(),
            client.secrets().inNamespace(ns).list().getItems(),
            client.services().inNamespace(ns).list().getItems(),
            client.network().v1().ingresses().inNamespace(ns).list().getItems(),
            client.network().v1().networkPolicies().inNamespace(ns).list().getItems(),
            client.resourceQuotas().inNamespace(ns).list().getItems(),
            client.limitRanges().inNamespace(ns).list().getItems())
        .flatMap(List::stream)
        .map(HasMetadata.class::cast)
        .toList();
  }

  /** What a kubelet and the Deployment controller would do, as far as the bridge can tell. */
  private static void playKubelet() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        List<Deployment> wanted = kube.apps().deployments().inAnyNamespace().list().getItems();
        Set<String> names =
            wanted.stream()
                .flatMap(
                    d ->
                        Stream.iterate(0, i -> i < d.getSpec().getReplicas(), i -> i + 1)
                            .map(
                                i ->
                                    d.getMetadata().getNamespace()
                                        + "/"
                                        + d.getMetadata().getName()
                                        + "-"
                                        + i))
                .collect(Collectors.toSet());
        for (Pod pod : kube.pods().inAnyNamespace().list().getItems()) {
          if (!names.contains(
              pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName())) {
            kube.resource(pod).delete();
          }
        }
        for (Deployment d : wanted) {
          for (int i = 0; i < d.getSpec().getReplicas(); i++) {
            String name = d.getMetadata().getName() + "-" + i;
            String ns = d.getMetadata().getNamespace();
            if (kube.pods().inNamespace(ns).withName(name).get() == null) {
              kube.resource(
                      new PodBuilder()
                          .withNewMetadata()
                          .withName(name)
                          .withNamespace(ns)
                          .withLabels(d.getSpec().getTemplate().getMetadata().getLabels())
                          .endMetadata()
                          .withSpec(d.getSpec().getTemplate().getSpec())
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
        }
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // a Deployment deleted while being read: the next pass sees the settled state
      }
    }
  }
}
