package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.slipway.runtime.kubernetes.PlayedKubevirt;
import io.slipway.runtime.kubernetes.VirtualMachineRenderer;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.render.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The VM API with {@code slipway.runtime.driver=kubernetes}: the same calls as on podman (made,
 * read, stopped, started, restarted, deleted; another tenant's VM a 404), the VM a KubeVirt
 * VirtualMachine on fabric8's mock API server in CRUD mode, KubeVirt's controller played by {@link
 * PlayedKubevirt}. Never a real KubeVirt.
 */
@Import(KubevirtVmApiIT.MockCluster.class)
class KubevirtVmApiIT extends ApiFixture {

  static final KubernetesMockServer server = MockApiServer.mixed();
  static final KubernetesClient kube = server.createClient();
  static final PlayedKubevirt kubevirt = new PlayedKubevirt(kube, server);

  private static final String USER_DATA = "#cloud-config\nruncmd:\n  - 'busybox httpd -p 8080'\n";

  private final String vm = appPath + "/vm";

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

  @AfterAll
  static void stopKubevirt() {
    kubevirt.close();
  }

  @Test
  void aVmOnKubernetesIsAVirtualMachineMadeStoppedStartedRestartedAndDeleted() throws Exception {
    String alice = aliceWithApp();
    String bob = user("bob");
    tenantWithSite(bob, "rk2-" + suffix);
    AppRef ref = site(alice);
    String ns = ref.projectId();
    kubevirt.serveRestart(ns, ref.appId());

    JsonNode made = bridge(alice, "PUT", vm, spec(), 201);
    assertThat(made.path("state").asString()).isEqualTo("RUNNING");
    assertThat(made.path("accelerator").asString()).isEqualTo("KVM");
    assertThat(made.toString()).doesNotContain("busybox");
    GenericKubernetesResource machine = virtualMachine(ref);
    assertThat(spec(machine).get("runStrategy")).isEqualTo("Always");
    assertThat(
            kube.secrets()
                .inNamespace(ns)
                .withName(ref.appId() + "-vm-cloudinit")
                .get()
                .getStringData())
        .containsEntry("userdata", USER_DATA);
    // the guest Ready (played): the view says so, with its addresses on the pod network
    JsonNode ready = bridge(alice, "GET", vm, null, 200);
    assertThat(ready.path("ready").asBoolean()).isTrue();
    assertThat(ready.path("addresses").size()).isEqualTo(2);
    assertThat(ready.path("addresses").get(1).asString()).endsWith(":8080");
    // the router's Ingress for the app's host, to the VM's Service on port 80
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(ingressHosts(ns, ref)).containsExactly(siteHost()));
    assertThat(
            kube.services()
                .inNamespace(ns)
                .withName(ref.appId())
                .get()
                .getSpec()
                .getPorts()
                .getFirst()
                .getTargetPort()
                .getIntVal())
        .isEqualTo(8080);

    // another tenant's user: the same 404 as for an app that does not exist
    for (String method : List.of("GET", "DELETE")) {
      assertThat(bridge(bob, method, vm, null, 404).path("detail").asString())
          .isEqualTo("App '" + tenant + "/web/site' was not found");
    }
    bridge(bob, "POST", vm + "/stop", null, 404);

    JsonNode stopped = bridge(alice, "POST", vm + "/stop", null, 200);
    assertThat(stopped.path("state").asString()).isEqualTo("STOPPED");
    assertThat(spec(virtualMachine(ref)).get("runStrategy")).isEqualTo("Halted");
    assertThat(instance(ref)).isNull();

    assertThat(bridge(alice, "POST", vm + "/start", null, 200).path("state").asString())
        .isEqualTo("RUNNING");
    String uid = instance(ref).getMetadata().getUid();

    assertThat(bridge(alice, "POST", vm + "/restart", null, 200).path("state").asString())
        .isEqualTo("RUNNING");
    assertThat(kubevirt.restartCalls()).isEqualTo(1);
    assertThat(instance(ref).getMetadata().getUid()).isNotEqualTo(uid);

    bridge(alice, "DELETE", vm, null, 204);
    bridge(alice, "GET", vm, null, 404);
    assertThat(objects(ref)).isEmpty();
  }

  private List<String> ingressHosts(String ns, AppRef ref) {
    var ingress = kube.network().v1().ingresses().inNamespace(ns).withName(ref.appId()).get();
    return ingress == null
        ? List.of()
        : ingress.getSpec().getRules().stream().map(r -> r.getHost()).toList();
  }

  private GenericKubernetesResource virtualMachine(AppRef ref) {
    return kube.genericKubernetesResources(VirtualMachineRenderer.VMS)
        .inNamespace(ref.projectId())
        .withName(ref.appId())
        .get();
  }

  private GenericKubernetesResource instance(AppRef ref) {
    return kube.genericKubernetesResources(VirtualMachineRenderer.INSTANCES)
        .inNamespace(ref.projectId())
        .withName(ref.appId())
        .get();
  }

  /** Everything in the project's namespace labelled with the app's id. */
  private List<String> objects(AppRef ref) {
    String ns = ref.projectId();
    return Stream.<List<? extends HasMetadata>>of(
            kube.genericKubernetesResources(VirtualMachineRenderer.VMS)
                .inNamespace(ns)
                .list()
                .getItems(),
            kube.genericKubernetesResources(VirtualMachineRenderer.INSTANCES)
                .inNamespace(ns)
                .list()
                .getItems(),
            kube.secrets().inNamespace(ns).list().getItems(),
            kube.services().inNamespace(ns).list().getItems(),
            kube.network().v1().ingresses().inNamespace(ns).list().getItems(),
            kube.network().v1().networkPolicies().inNamespace(ns).list().getItems())
        .flatMap(List::stream)
        .filter(o -> o.getMetadata().getLabels() != null)
        .filter(o -> ref.appId().equals(o.getMetadata().getLabels().get(Labels.APP_ID)))
        .map(o -> o.getKind() + "/" + o.getMetadata().getName())
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }

  private static String spec() {
    return JSON.writeValueAsString(new VmRequest(1, 256, null, USER_DATA, List.of(22, 8080), 8080));
  }
}
