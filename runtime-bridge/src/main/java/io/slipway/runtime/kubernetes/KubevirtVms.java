package io.slipway.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.slipway.runtime.admission.VmImages;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.vm.Accelerator;
import io.slipway.runtime.vm.VmConsole;
import io.slipway.runtime.vm.VmRuntime;
import io.slipway.runtime.vm.VmSettings;
import io.slipway.runtime.vm.VmSpec;
import io.slipway.runtime.vm.VmStatus;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;

/**
 * VMs on the kubernetes driver as KubeVirt VirtualMachines (docs/vms.md, KubeVirt): one per VM app
 * in its project's namespace, made by {@link VirtualMachineRenderer}, with its cloud-init Secret,
 * its Services and NetworkPolicies. KubeVirt's controller makes the VirtualMachineInstance (and its
 * launcher pod) from it; what this class reads of the VM's state comes from that instance.
 *
 * <p>Every call is synchronous: a start returns once KubeVirt has made the instance, a stop and a
 * delete once the instance is gone, each waiting at most {@link #patience} and then failing with
 * what it last saw.
 */
public final class KubevirtVms implements VmRuntime {

  /** How often a wait looks again. */
  private static final Duration POLL = Duration.ofMillis(200);

  /**
   * VirtualMachineInstance phases after which the guest no longer runs (KubeVirt boots another
   * under {@code runStrategy: Always}).
   */
  private static final Set<String> ENDED = Set.of("Succeeded", "Failed");

  private final KubernetesClient client;
  private final KubernetesDriver driver;
  private final VmSettings settings;
  private final VirtualMachineRenderer renderer;
  private final Accelerator accelerator;
  private final Duration patience;

  private final KubevirtConsoles consoles;

  /**
   * @param emulation whether the cluster's KubeVirt runs guests without KVM ({@code
   *     spec.configuration.developerConfiguration.useEmulation} in its KubeVirt resource), which
   *     KubeVirt does not say per VM: the status reports {@code TCG} then, else {@code KVM}
   * @param patience how long a start waits for KubeVirt to make the instance, and a stop or delete
   *     for it to go (beyond the guest's grace period)
   */
  public KubevirtVms(
      KubernetesClient client,
      KubernetesDriver driver,
      VmSettings settings,
      boolean emulation,
      Duration patience) {
    this(client, driver, settings, emulation, patience, KubevirtConsoles.PROTOCOL);
  }

  /**
   * As the public constructor, asking for the console in {@code consoleProtocol}: fabric8's mock
   * API server, which the tests run against, agrees only to Kubernetes' own channel subprotocols.
   */
  KubevirtVms(
      KubernetesClient client,
      KubernetesDriver driver,
      VmSettings settings,
      boolean emulation,
      Duration patience,
      String consoleProtocol) {
    this.consoles = new KubevirtConsoles(client, consoleProtocol);
    this.client = client;
    this.driver = driver;
    this.settings = settings;
    this.renderer =
        new VirtualMachineRenderer(
            settings.qemuOverheadMib(), settings.powerdownGrace().toSeconds());
    this.accelerator = emulation ? Accelerator.TCG : Accelerator.KVM;
    this.patience = patience;
  }

  /**
   * Applies the VM's objects with {@code runStrategy: Always} and waits for KubeVirt to make its
   * instance. Objects already in their desired form are left as they are, so a second call changes
   * nothing.
   */
  @Override
  public void start(VmSpec spec, OptionalInt httpPort) {
    AppRef ref = spec.ref();
    // before anything is made: the refusal is the same whether the image exists or not
    VmImages.admit(
        ref.tenantId(), settings.buildImagePrefix(), settings.imagePrefix(), spec.image());
    driver.ensureProject(ref);
    apply(renderer.userData(spec));
    renderer.ports(spec).ifPresent(this::apply);
    renderer.router(spec, httpPort).ifPresent(this::apply);
    renderer.allowProject(spec).ifPresent(this::apply);
    driver.allowRouter(ref, httpPort);
    GenericKubernetesResource desired = renderer.virtualMachine(spec, true, httpPort);
    GenericKubernetesResource found = vm(ref).get();
    try {
      if (found == null) {
        vms().resource(desired).create();
      } else if (!Objects.equals(found.getAdditionalProperties().get("spec"), spec(desired))
          || !Objects.equals(found.getMetadata().getLabels(), desired.getMetadata().getLabels())) {
        found.getAdditionalProperties().put("spec", spec(desired));
        found.getMetadata().setLabels(desired.getMetadata().getLabels());
        vms().resource(found).update();
      }
    } catch (KubernetesClientException e) {
      throw refused(
          "apply VirtualMachine " + ref.namespace() + "/" + VirtualMachineRenderer.name(ref), e);
    }
    await(ref, "KubeVirt to make its VirtualMachineInstance", Objects::nonNull);
  }

  @Override
  public VmStatus status(AppRef ref) {
    GenericKubernetesResource vm = vm(ref).get();
    if (vm == null) {
      return absent();
    }
    GenericKubernetesResource instance = instance(ref).get();
    String phase = instance == null ? null : phase(instance);
    boolean halted = "Halted".equals(runStrategy(vm));
    if (halted && (instance == null || ENDED.contains(phase))) {
      return new VmStatus(
          VmStatus.State.STOPPED,
          Optional.empty(),
          Optional.ofNullable(phase),
          false,
          Optional.empty(),
          Optional.empty());
    }
    // under runStrategy Always KubeVirt makes (or makes again) the instance: the VM runs, booting
    // until its instance is Ready
    return new VmStatus(
        VmStatus.State.RUNNING,
        Optional.of(accelerator),
        Optional.ofNullable(phase),
        instance != null && "Running".equals(phase) && ready(instance),
        Optional.empty(),
        Optional.empty());
  }

  /**
   * Sets {@code runStrategy: Halted} (KubeVirt presses the guest's ACPI button and ends its pod
   * after the grace period) and waits until the instance is gone.
   */
  @Override
  public Stopped stop(AppRef ref) {
    GenericKubernetesResource vm = vm(ref).get();
    if (vm == null) {
      return Stopped.NOT_RUNNING;
    }
    boolean wasRunning = instance(ref).get() != null;
    if (!"Halted".equals(runStrategy(vm))) {
      vm(ref)
          .edit(
              found -> {
                spec(found).put("runStrategy", "Halted");
                return found;
              });
    }
    await(
        ref,
        "its VirtualMachineInstance to go",
        instance -> instance == null,
        settings.powerdownGrace().plus(patience));
    return wasRunning ? Stopped.HALTED : Stopped.NOT_RUNNING;
  }

  /**
   * KubeVirt's {@code restart} subresource: it deletes the running instance and its controller
   * boots a new one from the VirtualMachine, on the same disks; this waits for the new one. (A
   * delete of the instance would do the same under {@code Always}; the subresource is KubeVirt's
   * own word for it and refuses a VM that is not running.)
   */
  @Override
  public Stopped restart(VmSpec spec, OptionalInt httpPort) {
    AppRef ref = spec.ref();
    GenericKubernetesResource before = instance(ref).get();
    if (before == null) {
      start(spec, httpPort);
      return Stopped.NOT_RUNNING;
    }
    String path =
        "apis/subresources.kubevirt.io/v1/namespaces/"
            + ref.namespace()
            + "/virtualmachines/"
            + VirtualMachineRenderer.name(ref)
            + "/restart";
    try {
      client.raw(url(path), "PUT", Map.of());
    } catch (KubernetesClientException e) {
      throw refused("restart VirtualMachine " + ref.namespace() + "/" + ref.appId(), e);
    }
    String uid = before.getMetadata().getUid();
    await(
        ref,
        "KubeVirt to boot a new VirtualMachineInstance",
        instance -> instance != null && !Objects.equals(instance.getMetadata().getUid(), uid),
        settings.powerdownGrace().plus(patience));
    return Stopped.HALTED;
  }

  /**
   * Deletes the VirtualMachine (KubeVirt ends its instance with it), its Secret, Services,
   * NetworkPolicies and the app's Ingress, then waits until the instance is gone: nothing is left.
   */
  @Override
  public void delete(AppRef ref) {
    String namespace = ref.namespace();
    Map<String, String> labels = VirtualMachineRenderer.labels(ref);
    vm(ref).delete();
    client
        .secrets()
        .inNamespace(namespace)
        .withName(VirtualMachineRenderer.userDataName(ref))
        .delete();
    client.services().inNamespace(namespace).withLabels(labels).delete();
    client.network().v1().networkPolicies().inNamespace(namespace).withLabels(labels).delete();
    driver.allowRouter(ref, OptionalInt.empty());
    // the app's Ingress (made by the router): a VM deleted leaves its app as one never deployed,
    // which on Kubernetes has no Ingress
    client.network().v1().ingresses().inNamespace(namespace).withName(ref.appId()).delete();
    await(
        ref,
        "its VirtualMachineInstance to go",
        instance -> instance == null,
        settings.powerdownGrace().plus(patience));
  }

  /**
   * Attaches a session to the VM's serial console: KubeVirt's {@code console} subresource of its
   * instance ({@link KubevirtConsoles}).
   *
   * @throws UncheckedIOException when the instance does not run or its console does not answer
   */
  @Override
  public VmConsole.Session console(AppRef ref, VmConsole.Listener listener, boolean mayType) {
    return consoles.attach(ref, listener, mayType);
  }

  /** The instance's address on the pod network (masquerade: its launcher pod's) while it runs. */
  @Override
  public Optional<String> address(AppRef ref, int port) {
    GenericKubernetesResource instance = instance(ref).get();
    if (instance == null || !"Running".equals(phase(instance))) {
      return Optional.empty();
    }
    return interfaces(instance).stream()
        .filter(i -> VirtualMachineRenderer.NETWORK.equals(i.get("name")))
        .map(i -> i.get("ipAddress"))
        .filter(ip -> ip instanceof String s && !s.isEmpty())
        .findFirst()
        .map(ip -> (ip.toString().contains(":") ? "[" + ip + "]" : ip) + ":" + port);
  }

  private void apply(HasMetadata object) {
    try {
      client.resource(object).createOr(NonDeletingOperation::update);
    } catch (KubernetesClientException e) {
      throw refused(
          "apply "
              + object.getKind()
              + " "
              + object.getMetadata().getNamespace()
              + "/"
              + object.getMetadata().getName(),
          e);
    }
  }

  private void await(AppRef ref, String what, Predicate<GenericKubernetesResource> done) {
    await(ref, what, done, patience);
  }

  private void await(
      AppRef ref, String what, Predicate<GenericKubernetesResource> done, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    GenericKubernetesResource instance = instance(ref).get();
    while (!done.test(instance)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "VM "
                + ref
                + " waited "
                + within.toSeconds()
                + " s for "
                + what
                + "; its instance is "
                + (instance == null ? "absent" : "in phase " + phase(instance)));
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what + " of VM " + ref, e);
      }
      instance = instance(ref).get();
    }
  }

  private Resource<GenericKubernetesResource> vm(AppRef ref) {
    return vms().inNamespace(ref.namespace()).withName(VirtualMachineRenderer.name(ref));
  }

  private Resource<GenericKubernetesResource> instance(AppRef ref) {
    return client
        .genericKubernetesResources(VirtualMachineRenderer.INSTANCES)
        .inNamespace(ref.namespace())
        .withName(VirtualMachineRenderer.name(ref));
  }

  private MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      vms() {
    return client.genericKubernetesResources(VirtualMachineRenderer.VMS);
  }

  private String url(String path) {
    return url(client, path);
  }

  /** The API server's URL of {@code path}. */
  static String url(KubernetesClient client, String path) {
    String master = client.getMasterUrl().toString();
    return (master.endsWith("/") ? master : master + "/") + path;
  }

  private static IllegalStateException refused(String what, KubernetesClientException e) {
    String why =
        e.getCode() == 404
            ? "the API server does not serve it (is KubeVirt installed?)"
            : "HTTP " + e.getCode() + ": " + e.getMessage();
    return new IllegalStateException("Cannot " + what + ": " + why, e);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }

  private static String runStrategy(GenericKubernetesResource vm) {
    Map<String, Object> spec = spec(vm);
    return spec == null ? null : (String) spec.get("runStrategy");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource resource) {
    Object status = resource.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  /** Whether the instance's phase is {@code Running}. */
  static boolean running(GenericKubernetesResource instance) {
    return "Running".equals(phase(instance));
  }

  private static String phase(GenericKubernetesResource instance) {
    return (String) status(instance).get("phase");
  }

  private static boolean ready(GenericKubernetesResource instance) {
    return list(status(instance).get("conditions")).stream()
        .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
  }

  private static List<Map<String, Object>> interfaces(GenericKubernetesResource instance) {
    return list(status(instance).get("interfaces"));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object value) {
    return value instanceof List<?> list
        ? list.stream()
            .filter(Map.class::isInstance)
            .map(item -> (Map<String, Object>) item)
            .toList()
        : List.of();
  }

  private static VmStatus absent() {
    return new VmStatus(
        VmStatus.State.ABSENT,
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty(),
        Optional.empty());
  }
}
