package io.slipway.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.slipway.runtime.admission.ImageRefusedException;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.Specs;
import io.slipway.runtime.render.Labels;
import io.slipway.runtime.render.ManifestRenderer;
import io.slipway.runtime.render.RenderSettings;
import io.slipway.runtime.vm.Accelerator;
import io.slipway.runtime.vm.VmConsole;
import io.slipway.runtime.vm.VmRuntime;
import io.slipway.runtime.vm.VmSettings;
import io.slipway.runtime.vm.VmSpec;
import io.slipway.runtime.vm.VmStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * VMs as KubeVirt VirtualMachines against fabric8's mock API server in CRUD mode, KubeVirt's
 * controller played by {@link PlayedKubevirt}; the router's Ingress made through {@link
 * IngressRouter} as the bridge's routes make it. Never a real KubeVirt.
 */
@EnableKubernetesMockClient(crud = true)
class KubevirtVmsTest {

  private static final String IMAGE = VmSettings.DEBIAN_IMAGE;
  private static final String USER_DATA =
      "#cloud-config\nssh_authorized_keys:\n  - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyOfTheTenant\n";

  KubernetesClient client;
  KubernetesMockServer server;

  private final RenderSettings settings = RenderSettings.defaults();
  private PlayedKubevirt kubevirt;
  private KubernetesDriver driver;
  private KubevirtVms vms;
  private IngressRouter router;

  @BeforeEach
  void setUp() {
    kubevirt = new PlayedKubevirt(client, server);
    driver = new KubernetesDriver(client, new ManifestRenderer(settings));
    vms = new KubevirtVms(client, driver, VmSettings.defaults(), false, Duration.ofSeconds(10));
    router = new IngressRouter(client, new ManifestRenderer(settings), settings, () -> false);
  }

  @AfterEach
  void tearDown() {
    kubevirt.close();
  }

  @Test
  void aStartedVmIsAVirtualMachineWithItsSecretServicesPoliciesAndTheAppsIngress() {
    AppRef ref = newVm("web");
    VmSpec spec = new VmSpec(ref, 2, 512, IMAGE, USER_DATA, List.of(22, 8080));

    vms.start(spec, OptionalInt.of(8080));
    routeAsTheBridgeDoes(ref);

    assertThat(client.namespaces().withName(ref.namespace()).get().getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    assertThat(objects(ref))
        .containsExactlyInAnyOrder(
            "VirtualMachine/" + ref.appId(),
            "VirtualMachineInstance/" + ref.appId(),
            "Secret/" + ref.appId() + "-vm-cloudinit",
            "Service/" + ref.appId(),
            "Service/" + ref.appId() + "-vm",
            "NetworkPolicy/" + ref.appId() + "-allow-router",
            "NetworkPolicy/" + ref.appId() + "-allow-project",
            "Ingress/" + ref.appId());

    GenericKubernetesResource vm = vm(ref);
    assertThat(vm.getMetadata().getLabels())
        .containsEntry(Labels.APP_ID, ref.appId())
        .containsEntry(Labels.KIND, Labels.KIND_VM);
    assertThat(at(vm, "spec", "runStrategy")).isEqualTo("Always");
    assertThat(at(vm, "spec", "template", "metadata", "labels"))
        .isEqualTo(VirtualMachineRenderer.labels(ref));
    @SuppressWarnings("unchecked")
    Map<String, Object> domain = (Map<String, Object>) at(vm, "spec", "template", "spec", "domain");
    assertThat(at(domain, "cpu", "cores")).isEqualTo(2);
    assertThat(at(domain, "memory", "guest")).isEqualTo("512Mi");
    // the guest's memory and the stated overhead (qemu-overhead-mib, 256 MiB by default)
    assertThat(at(domain, "resources", "requests"))
        .isEqualTo(Map.of("cpu", "2", "memory", "768Mi"));
    assertThat(at(domain, "resources", "limits")).isEqualTo(Map.of("cpu", "2", "memory", "768Mi"));
    assertThat(at(domain, "devices", "disks"))
        .isEqualTo(
            List.of(
                Map.of("name", "boot", "disk", Map.of("bus", "virtio")),
                Map.of("name", "cloudinit", "disk", Map.of("bus", "virtio"))));
    assertThat(at(domain, "devices", "interfaces"))
        .isEqualTo(
            List.of(
                Map.of(
                    "name",
                    "default",
                    "masquerade",
                    Map.of(),
                    "ports",
                    List.of(
                        Map.of("port", 22, "protocol", "TCP"),
                        Map.of("port", 8080, "protocol", "TCP")))));
    assertThat(at(vm, "spec", "template", "spec", "networks"))
        .isEqualTo(List.of(Map.of("name", "default", "pod", Map.of())));
    assertThat(at(vm, "spec", "template", "spec", "volumes"))
        .isEqualTo(
            List.of(
                Map.of("name", "boot", "containerDisk", Map.of("image", IMAGE)),
                Map.of(
                    "name",
                    "cloudinit",
                    "cloudInitNoCloud",
                    Map.of("secretRef", Map.of("name", ref.appId() + "-vm-cloudinit")))));
    assertThat(at(vm, "spec", "template", "spec", "readinessProbe", "tcpSocket"))
        .isEqualTo(Map.of("port", 8080));
    // the user-data (it may hold keys) is in the Secret alone, never in the VirtualMachine
    assertThat(JSON.asJson(vm)).doesNotContain("ssh-ed25519");
    Secret secret = secret(ref);
    assertThat(secret.getStringData()).containsExactly(Map.entry("userdata", USER_DATA));

    Service routed = service(ref, ref.appId());
    assertThat(routed.getSpec().getSelector()).isEqualTo(Map.of(Labels.APP_ID, ref.appId()));
    assertThat(routed.getSpec().getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getPort()).isEqualTo(80);
              assertThat(port.getTargetPort().getIntVal()).isEqualTo(8080);
            });
    assertThat(service(ref, ref.appId() + "-vm").getSpec().getPorts())
        .extracting(p -> p.getPort() + "->" + p.getTargetPort().getIntVal())
        .containsExactly("22->22", "8080->8080");
    Ingress ingress = ingress(ref);
    assertThat(ingress.getSpec().getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getHost()).isEqualTo(settings.host(ref));
              var backend = rule.getHttp().getPaths().getFirst().getBackend().getService();
              assertThat(backend.getName()).isEqualTo(ref.appId());
              assertThat(backend.getPort().getNumber()).isEqualTo(80);
            });
    assertThat(policy(ref, "-allow-router").getSpec().getIngress().getFirst().getPorts())
        .extracting(p -> p.getPort().getIntVal())
        .containsExactly(8080);
  }

  @Test
  void statusComesFromTheInstance() {
    AppRef ref = newVm("web");
    assertThat(vms.status(ref).state()).isEqualTo(VmStatus.State.ABSENT);
    assertThat(vms.address(ref, 22)).isEmpty();

    vms.start(new VmSpec(ref, 1, 256, IMAGE, "", List.of(22)), OptionalInt.empty());

    VmStatus status = vms.status(ref);
    assertThat(status.state()).isEqualTo(VmStatus.State.RUNNING);
    assertThat(status.guestReady()).isTrue();
    assertThat(status.qemuState()).contains("Running");
    assertThat(status.accelerator()).contains(Accelerator.KVM);
    assertThat(vms.address(ref, 22)).hasValueSatisfying(a -> assertThat(a).matches("[0-9.]+:22"));
    // a guest not Ready yet (the launcher up, the guest booting) is running, not ready
    kubevirt.pause();
    instances()
        .inNamespace(ref.namespace())
        .withName(ref.appId())
        .edit(
            i -> {
              i.getAdditionalProperties()
                  .put("status", Map.of("phase", "Scheduling", "conditions", List.of()));
              return i;
            });
    status = vms.status(ref);
    assertThat(status.state()).isEqualTo(VmStatus.State.RUNNING);
    assertThat(status.guestReady()).isFalse();
    assertThat(vms.address(ref, 22)).isEmpty();
  }

  @Test
  void emulationIsReportedAsTcg() {
    AppRef ref = newVm("web");
    var emulated =
        new KubevirtVms(client, driver, VmSettings.defaults(), true, Duration.ofSeconds(10));
    emulated.start(new VmSpec(ref, 1, 256, IMAGE, "", List.of()), OptionalInt.empty());

    assertThat(emulated.status(ref).accelerator()).contains(Accelerator.TCG);
  }

  @Test
  void stopHaltsTheVmAndStartRunsItAgainOnTheSameObjects() {
    AppRef ref = newVm("web");
    VmSpec spec = new VmSpec(ref, 1, 256, IMAGE, USER_DATA, List.of(22));
    vms.start(spec, OptionalInt.empty());

    assertThat(vms.stop(ref)).isEqualTo(VmRuntime.Stopped.HALTED);
    assertThat(at(vm(ref), "spec", "runStrategy")).isEqualTo("Halted");
    assertThat(instances().inNamespace(ref.namespace()).withName(ref.appId()).get()).isNull();
    assertThat(vms.status(ref).state()).isEqualTo(VmStatus.State.STOPPED);
    assertThat(vms.address(ref, 22)).isEmpty();
    assertThat(vms.stop(ref)).isEqualTo(VmRuntime.Stopped.NOT_RUNNING);

    vms.start(spec, OptionalInt.empty());
    assertThat(at(vm(ref), "spec", "runStrategy")).isEqualTo("Always");
    assertThat(vms.status(ref).state()).isEqualTo(VmStatus.State.RUNNING);
  }

  @Test
  void aStopThatKubevirtDoesNotCarryOutFailsSayingWhatItSaw() {
    AppRef ref = newVm("web");
    vms.start(new VmSpec(ref, 1, 256, IMAGE, "", List.of()), OptionalInt.empty());
    kubevirt.pause();
    var impatient =
        new KubevirtVms(
            client,
            driver,
            new VmSettings(
                VmSettings.RUNNER_IMAGE,
                IMAGE,
                VmSettings.IMAGE_PREFIX,
                "localhost",
                Duration.ZERO,
                Duration.ofSeconds(1),
                256,
                java.nio.file.Path.of("/dev/kvm")),
            false,
            Duration.ofMillis(300));

    assertThatThrownBy(() -> impatient.stop(ref))
        .hasMessageContaining("its VirtualMachineInstance to go")
        .hasMessageContaining("in phase Running");
  }

  @Test
  void restartUsesKubevirtsRestartSubresourceAndWaitsForANewInstance() {
    AppRef ref = newVm("web");
    VmSpec spec = new VmSpec(ref, 1, 256, IMAGE, "", List.of());
    vms.start(spec, OptionalInt.empty());
    String before =
        instances().inNamespace(ref.namespace()).withName(ref.appId()).get().getMetadata().getUid();
    kubevirt.serveRestart(ref.namespace(), ref.appId());

    assertThat(vms.restart(spec, OptionalInt.empty())).isEqualTo(VmRuntime.Stopped.HALTED);

    assertThat(kubevirt.restartCalls()).isEqualTo(1);
    assertThat(
            instances()
                .inNamespace(ref.namespace())
                .withName(ref.appId())
                .get()
                .getMetadata()
                .getUid())
        .isNotEqualTo(before);
    assertThat(at(vm(ref), "spec", "runStrategy")).isEqualTo("Always");
  }

  @Test
  void theConsoleIsKubevirtsConsoleSubresourceSharedBySessionsAndOnlyATyperReachesTheGuest() {
    AppRef ref = newVm("web");
    vms.start(new VmSpec(ref, 1, 256, IMAGE, "", List.of()), OptionalInt.empty());
    server
        .expect()
        .get()
        .withPath(
            "/apis/subresources.kubevirt.io/v1/namespaces/"
                + ref.namespace()
                + "/virtualmachineinstances/"
                + ref.appId()
                + "/console")
        .andUpgradeToWebSocket()
        .open()
        .waitFor(50)
        .andEmit("web login: ")
        .expect("root\r")
        .andEmit("root\r\nPassword: ")
        .once()
        .done()
        .once();
    Heard typer = new Heard();
    Heard viewer = new Heard();
    // KubeVirt's plain.kubevirt.io is refused by the mock server, which agrees to Kubernetes'
    // channel subprotocols alone: the same bytes travel
    var consoles =
        new KubevirtVms(
            client,
            driver,
            VmSettings.defaults(),
            false,
            Duration.ofSeconds(10),
            "v4.channel.k8s.io");

    VmConsole.Session typing = consoles.console(ref, typer, true);
    VmConsole.Session watching = consoles.console(ref, viewer, false);
    await().atMost(Duration.ofSeconds(10)).until(() -> typer.text().contains("web login: "));

    assertThat(watching.type("halt\r".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(typing.type("root\r".getBytes(StandardCharsets.UTF_8))).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> viewer.text().contains("Password: "));
    assertThat(typer.text()).isEqualTo("web login: root\r\nPassword: ");
    // one connection for both sessions: the expectation answers one upgrade only
    watching.close();
    typing.close();
    assertThat(typer.ended).isFalse();
    assertThat(KubevirtConsoles.PROTOCOL).isEqualTo("plain.kubevirt.io");
  }

  /** What a console session heard. */
  private static final class Heard implements VmConsole.Listener {
    private final StringBuffer text = new StringBuffer();
    private volatile boolean ended;

    @Override
    public void output(byte[] bytes) {
      text.append(new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public void ended() {
      ended = true;
    }

    String text() {
      return text.toString();
    }
  }

  @Test
  void deleteLeavesNothing() {
    AppRef ref = newVm("web");
    vms.start(new VmSpec(ref, 1, 256, IMAGE, USER_DATA, List.of(22, 8080)), OptionalInt.of(8080));
    routeAsTheBridgeDoes(ref);

    vms.delete(ref);

    assertThat(objects(ref)).isEmpty();
    assertThat(vms.status(ref).state()).isEqualTo(VmStatus.State.ABSENT);
    vms.delete(ref); // nothing to do a second time
  }

  @Test
  void aSecondStartChangesNothing() {
    AppRef ref = newVm("web");
    VmSpec spec = new VmSpec(ref, 2, 512, IMAGE, USER_DATA, List.of(22, 8080));
    vms.start(spec, OptionalInt.of(8080));
    Map<String, String> before = versions(ref);

    vms.start(spec, OptionalInt.of(8080));

    assertThat(versions(ref)).isEqualTo(before);
  }

  @Test
  void anotherTenantsVmOfTheSameNamesIsAnotherObjectAndOutlivesTheFirstsDeletion() {
    AppRef ours = newVm("web");
    AppRef theirs = Specs.ref("x" + ours.tenant().substring(1), ours.project(), ours.app());
    VmSpec spec = new VmSpec(ours, 1, 256, IMAGE, USER_DATA, List.of(22));
    vms.start(spec, OptionalInt.empty());
    vms.start(
        new VmSpec(theirs, 1, 256, IMAGE, "#cloud-config\n", List.of(22)), OptionalInt.empty());

    assertThat(theirs.appId()).isNotEqualTo(ours.appId());
    assertThat(vm(ours).getMetadata().getNamespace())
        .isNotEqualTo(vm(theirs).getMetadata().getNamespace());
    assertThat(secret(theirs).getStringData()).containsEntry("userdata", "#cloud-config\n");

    vms.delete(ours);

    assertThat(objects(ours)).isEmpty();
    assertThat(objects(theirs)).contains("VirtualMachine/" + theirs.appId());
    assertThat(vms.status(theirs).state()).isEqualTo(VmStatus.State.RUNNING);
  }

  @Test
  void anImageNeitherThePlatformsNorTheTenantsIsRefusedBeforeAnythingIsMade() {
    AppRef ref = newVm("web");
    VmSpec spec = new VmSpec(ref, 1, 256, "registry.example/else/disk:1", "", List.of());

    assertThatThrownBy(() -> vms.start(spec, OptionalInt.empty()))
        .isInstanceOf(ImageRefusedException.class);
    assertThat(client.namespaces().withName(ref.namespace()).get()).isNull();
  }

  @Test
  void theAppsReconcilerDoesNotTakeAVmsObjectsForAnOrphanedApp() {
    AppRef ref = newVm("web");
    vms.start(new VmSpec(ref, 1, 256, IMAGE, "", List.of(22, 8080)), OptionalInt.of(8080));

    assertThat(driver.apps()).doesNotContain(ref);
  }

  private void routeAsTheBridgeDoes(AppRef ref) {
    router.route(ref, List.of(settings.host(ref)), List.of());
  }

  /** Every object in the VM's namespace labelled with its app's id, as kind/name. */
  private List<String> objects(AppRef ref) {
    String ns = ref.namespace();
    return Stream.<List<? extends HasMetadata>>of(
            client
                .genericKubernetesResources(VirtualMachineRenderer.VMS)
                .inNamespace(ns)
                .list()
                .getItems(),
            instances().inNamespace(ns).list().getItems(),
            client.secrets().inNamespace(ns).list().getItems(),
            client.services().inNamespace(ns).list().getItems(),
            client.network().v1().ingresses().inNamespace(ns).list().getItems(),
            client.network().v1().networkPolicies().inNamespace(ns).list().getItems())
        .flatMap(List::stream)
        .filter(o -> o.getMetadata().getLabels() != null)
        .filter(o -> ref.appId().equals(o.getMetadata().getLabels().get(Labels.APP_ID)))
        .map(o -> o.getKind() + "/" + o.getMetadata().getName())
        .toList();
  }

  /** Each of the VM's objects with its resourceVersion: any change shows as a new version. */
  private Map<String, String> versions(AppRef ref) {
    Map<String, String> versions = new TreeMap<>();
    String ns = ref.namespace();
    Stream.<List<? extends HasMetadata>>of(
            client
                .genericKubernetesResources(VirtualMachineRenderer.VMS)
                .inNamespace(ns)
                .list()
                .getItems(),
            instances().inNamespace(ns).list().getItems(),
            client.secrets().inNamespace(ns).list().getItems(),
            client.services().inNamespace(ns).list().getItems(),
            client.network().v1().networkPolicies().inNamespace(ns).list().getItems())
        .flatMap(List::stream)
        .forEach(
            o ->
                versions.put(
                    o.getKind() + "/" + o.getMetadata().getName(),
                    o.getMetadata().getResourceVersion()));
    return versions;
  }

  private AppRef newVm(String app) {
    String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36);
    return Specs.ref("t" + suffix, "p", app);
  }

  private GenericKubernetesResource vm(AppRef ref) {
    return client
        .genericKubernetesResources(VirtualMachineRenderer.VMS)
        .inNamespace(ref.namespace())
        .withName(ref.appId())
        .get();
  }

  private io.fabric8.kubernetes.client.dsl.MixedOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
      instances() {
    return client.genericKubernetesResources(VirtualMachineRenderer.INSTANCES);
  }

  private Secret secret(AppRef ref) {
    return client
        .secrets()
        .inNamespace(ref.namespace())
        .withName(ref.appId() + "-vm-cloudinit")
        .get();
  }

  private Service service(AppRef ref, String name) {
    return client.services().inNamespace(ref.namespace()).withName(name).get();
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

  private NetworkPolicy policy(AppRef ref, String suffix) {
    return client
        .network()
        .v1()
        .networkPolicies()
        .inNamespace(ref.namespace())
        .withName(ref.appId() + suffix)
        .get();
  }

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private static Object at(GenericKubernetesResource resource, String... path) {
    return at(resource.getAdditionalProperties(), path);
  }

  @SuppressWarnings("unchecked")
  private static Object at(Map<String, Object> map, String... path) {
    Object value = map;
    for (String key : path) {
      value = ((Map<String, Object>) value).get(key);
    }
    return value;
  }
}
