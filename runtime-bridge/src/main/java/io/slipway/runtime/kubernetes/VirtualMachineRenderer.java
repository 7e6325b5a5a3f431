package io.slipway.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.render.Labels;
import io.slipway.runtime.render.ServiceRenderer;
import io.slipway.runtime.vm.GuestBoot;
import io.slipway.runtime.vm.VmSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A VM on the kubernetes driver as KubeVirt objects (docs/vms.md, KubeVirt), rendered as fabric8
 * generic resources: Maven Central has no maintained KubeVirt model for fabric8 (its own extensions
 * stop short of KubeVirt), and the few fields used here need none. Pure: the same spec always gives
 * equal objects.
 *
 * <p>Every name is the app's immutable id, as the driver names an app's objects: the {@code
 * VirtualMachine} (and so its VirtualMachineInstance) {@code <app id>}, its cloud-init Secret
 * {@code <app id>-vm-cloudinit}, the Service of its exposed ports {@code <app id>-vm}, and, when it
 * has an HTTP port, the router's Service {@code <app id>} on port 80 that the app's Ingress ({@code
 * IngressRenderer}, through {@link IngressRouter}) points at, as for an app.
 */
public final class VirtualMachineRenderer {

  public static final String GROUP = "kubevirt.io";
  public static final String API_VERSION = GROUP + "/v1";

  /** Where fabric8's generic client finds VirtualMachines. */
  public static final ResourceDefinitionContext VMS = context("VirtualMachine", "virtualmachines");

  /** Where it finds the VirtualMachineInstances KubeVirt makes from them. */
  public static final ResourceDefinitionContext INSTANCES =
      context("VirtualMachineInstance", "virtualmachineinstances");

  /**
   * The key of the user-data in the cloud-init Secret, as KubeVirt's {@code secretRef} reads it.
   */
  static final String USER_DATA_KEY = "userdata";

  /**
   * A guest given no user-data still gets a NoCloud seed (its host name and instance id come from
   * KubeVirt's meta-data): an empty cloud-config.
   */
  static final String EMPTY_USER_DATA = "#cloud-config\n";

  /** The pod network's interface and network name. */
  static final String NETWORK = "default";

  private final int overheadMib;
  private final long gracePeriodSeconds;

  /**
   * @param overheadMib what the guest's memory is given beside it in the VM's resources (the same
   *     headroom {@code slipway.runtime.vm.qemu-overhead-mib} gives QEMU on podman; KubeVirt adds
   *     its launcher's own overhead to the pod on top)
   * @param gracePeriodSeconds how long a guest has to power off after the ACPI button before
   *     KubeVirt ends it ({@code slipway.runtime.vm.powerdown-grace})
   */
  public VirtualMachineRenderer(int overheadMib, long gracePeriodSeconds) {
    if (overheadMib < 0 || gracePeriodSeconds < 0) {
      throw new IllegalArgumentException("overheadMib and gracePeriodSeconds must not be negative");
    }
    this.overheadMib = overheadMib;
    this.gracePeriodSeconds = gracePeriodSeconds;
  }

  /** The name of an app's VirtualMachine and of the VirtualMachineInstance it runs. */
  public static String name(AppRef ref) {
    return ref.appId();
  }

  /** The name of an app's cloud-init Secret. */
  public static String userDataName(AppRef ref) {
    return ref.appId() + "-vm-cloudinit";
  }

  /** The name of the Service of an app's exposed VM ports. */
  public static String portsName(AppRef ref) {
    return ref.appId() + "-vm";
  }

  /** The labels of every object of the app's VM, and of its launcher pod. */
  public static Map<String, String> labels(AppRef ref) {
    Map<String, String> labels = Labels.app(ref);
    labels.put(Labels.KIND, Labels.KIND_VM);
    return labels;
  }

  /**
   * The app's VirtualMachine: {@code runStrategy} {@code Always} while it should run, {@code
   * Halted} when stopped (not the deprecated {@code running} flag, which KubeVirt refuses beside a
   * run strategy and which cannot say "keep it halted even if it powers itself off" apart from "run
   * it"). With an HTTP port, the instance is Ready once the guest answers on it (a TCP probe
   * KubeVirt sends to the guest), as the podman driver waits for the guest's ready line before
   * routing.
   */
  public GenericKubernetesResource virtualMachine(
      VmSpec spec, boolean running, OptionalInt httpPort) {
    AppRef ref = spec.ref();
    Map<String, Object> templateMetadata = new LinkedHashMap<>();
    // KubeVirt copies the template's labels to the launcher pod: the Services select it by them,
    // the project's NetworkPolicies apply to it
    templateMetadata.put("labels", labels(ref));
    Map<String, Object> vmSpec = new LinkedHashMap<>();
    vmSpec.put("runStrategy", running ? "Always" : "Halted");
    vmSpec.put(
        "template", Map.of("metadata", templateMetadata, "spec", instanceSpec(spec, httpPort)));
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(API_VERSION)
        .withKind(VMS.getKind())
        .withNewMetadata()
        .withName(name(ref))
        .withNamespace(ref.namespace())
        .withLabels(labels(ref))
        .endMetadata()
        .addToAdditionalProperties("spec", vmSpec)
        .build();
  }

  private Map<String, Object> instanceSpec(VmSpec spec, OptionalInt httpPort) {
    String memory = spec.memoryMib() + "Mi";
    String withOverhead = (spec.memoryMib() + overheadMib) + "Mi";
    Map<String, String> resources =
        Map.of("cpu", Integer.toString(spec.vcpus()), "memory", withOverhead);
    Map<String, Object> domain = new LinkedHashMap<>();
    domain.put("cpu", Map.of("cores", spec.vcpus()));
    domain.put("memory", Map.of("guest", memory));
    // limits = requests, as for an app's containers: the project's quota counts both
    domain.put("resources", Map.of("requests", resources, "limits", resources));
    domain.put(
        "firmware",
        Map.of(
            "kernelBoot",
            Map.of(
                "kernelArgs",
                GuestBoot.KERNEL_ARGS,
                "container",
                Map.of(
                    "image",
                    spec.image(),
                    "kernelPath",
                    GuestBoot.KERNEL,
                    "initrdPath",
                    GuestBoot.INITRD))));
    domain.put(
        "devices",
        Map.of(
            "disks",
            List.of(
                Map.of("name", "boot", "disk", Map.of("bus", "virtio")),
                Map.of("name", "cloudinit", "disk", Map.of("bus", "virtio"))),
            "interfaces",
            List.of(anInterface(spec)),
            // the serial console is the only one: no VNC device to serve
            "autoattachGraphicsDevice",
            false));
    Map<String, Object> instance = new LinkedHashMap<>();
    instance.put("hostname", spec.name());
    instance.put("domain", domain);
    instance.put("networks", List.of(Map.of("name", NETWORK, "pod", Map.of())));
    instance.put("terminationGracePeriodSeconds", gracePeriodSeconds);
    httpPort.ifPresent(
        port ->
            instance.put(
                "readinessProbe", Map.of("tcpSocket", Map.of("port", port), "periodSeconds", 2)));
    instance.put(
        "volumes",
        List.of(
            Map.of("name", "boot", "containerDisk", Map.of("image", spec.image())),
            Map.of(
                "name",
                "cloudinit",
                "cloudInitNoCloud",
                // never inline: user-data may hold keys, and the VM object is readable more widely.
                // "secretRef" is the wire name of KubeVirt's UserDataSecretRef
                Map.of("secretRef", Map.of("name", userDataName(spec.ref()))))));
    return instance;
  }

  /**
   * The pod network through masquerade (NAT to the pod's address), forwarding the exposed ports. A
   * VM that exposes none lists none, which KubeVirt reads as "forward all": the project's
   * default-deny policy keeps them closed, as no {@link #allowProject} opens any.
   */
  private static Map<String, Object> anInterface(VmSpec spec) {
    Map<String, Object> network = new LinkedHashMap<>();
    network.put("name", NETWORK);
    network.put("masquerade", Map.of());
    if (!spec.ports().isEmpty()) {
      network.put(
          "ports",
          spec.ports().stream()
              .map(port -> Map.<String, Object>of("port", port, "protocol", "TCP"))
              .toList());
    }
    return network;
  }

  /** The VM's user-data as an Opaque Secret that KubeVirt's cloud-init volume reads. */
  public Secret userData(VmSpec spec) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(userDataName(spec.ref()))
        .withNamespace(spec.ref().namespace())
        .withLabels(labels(spec.ref()))
        .endMetadata()
        .withType("Opaque")
        .withStringData(
            Map.of(USER_DATA_KEY, spec.userData().isEmpty() ? EMPTY_USER_DATA : spec.userData()))
        .build();
  }

  /** The Service of the VM's exposed ports, each as itself; none when it exposes none. */
  public Optional<Service> ports(VmSpec spec) {
    if (spec.ports().isEmpty()) {
      return Optional.empty();
    }
    List<ServicePort> ports =
        spec.ports().stream().map(port -> port("tcp-" + port, port, port)).toList();
    return Optional.of(service(spec.ref(), portsName(spec.ref()), ports));
  }

  /**
   * The router's Service of a VM with an HTTP port: port 80 to it, as an app's Service is to its
   * container's port, so the app's Ingress reaches a VM as it reaches an app.
   */
  public Optional<Service> router(VmSpec spec, OptionalInt httpPort) {
    if (httpPort.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        service(
            spec.ref(),
            spec.ref().appId(),
            List.of(port("http", ServiceRenderer.SERVICE_PORT, httpPort.getAsInt()))));
  }

  /**
   * Lets the project's own pods reach the VM's exposed ports, as every container on the project's
   * podman network reaches a VM there; the project's default-deny policy holds for the rest.
   */
  public Optional<NetworkPolicy> allowProject(VmSpec spec) {
    if (spec.ports().isEmpty()) {
      return Optional.empty();
    }
    AppRef ref = spec.ref();
    List<NetworkPolicyPort> ports =
        spec.ports().stream()
            .map(
                port ->
                    new NetworkPolicyPortBuilder()
                        .withProtocol("TCP")
                        .withPort(new IntOrString(port))
                        .build())
            .toList();
    return Optional.of(
        new NetworkPolicyBuilder()
            .withNewMetadata()
            .withName(ref.appId() + "-allow-project")
            .withNamespace(ref.namespace())
            .withLabels(labels(ref))
            .endMetadata()
            .withNewSpec()
            .withNewPodSelector()
            .withMatchLabels(Labels.selector(ref))
            .endPodSelector()
            .withPolicyTypes(List.of("Ingress"))
            .addNewIngress()
            .addNewFrom()
            .withNewPodSelector()
            .endPodSelector()
            .endFrom()
            .withPorts(ports)
            .endIngress()
            .endSpec()
            .build());
  }

  private static Service service(AppRef ref, String name, List<ServicePort> ports) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ref.namespace())
        .withLabels(labels(ref))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(Labels.selector(ref))
        .withPorts(ports)
        .endSpec()
        .build();
  }

  private static ServicePort port(String name, int port, int target) {
    return new ServicePortBuilder()
        .withName(name)
        .withProtocol("TCP")
        .withPort(port)
        .withTargetPort(new IntOrString(target))
        .build();
  }

  private static ResourceDefinitionContext context(String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(GROUP)
        .withVersion("v1")
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }
}
