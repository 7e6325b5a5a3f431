package io.slipway.runtime.render;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Kubernetes Pod Security Standards {@code restricted} profile (which includes {@code
 * baseline}), as code: the checks the API server's admission would make on a pod template. Run over
 * every manifest the bridge emits, so a regression fails a test rather than a deploy.
 *
 * @see <a href="https://kubernetes.io/docs/concepts/security/pod-security-standards/">Pod Security
 *     Standards</a>
 */
public final class RestrictedProfile {

  private static final Set<String> ALLOWED_VOLUMES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "persistentVolumeClaim",
          "projected",
          "secret");
  private static final Set<String> SAFE_SYSCTLS =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes");
  private static final Set<String> SELINUX_TYPES =
      Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");

  private RestrictedProfile() {}

  /** The violations of every pod template among these objects; empty when all pass. */
  public static List<String> violations(List<? extends HasMetadata> objects) {
    List<String> found = new ArrayList<>();
    for (HasMetadata object : objects) {
      podSpec(object)
          .ifPresent(
              spec ->
                  violations(spec).stream()
                      .map(v -> object.getKind() + " " + object.getMetadata().getName() + ": " + v)
                      .forEach(found::add));
    }
    return found;
  }

  static Optional<PodSpec> podSpec(HasMetadata object) {
    return switch (object) {
      case Pod pod -> Optional.ofNullable(pod.getSpec());
      case Deployment d -> Optional.ofNullable(d.getSpec().getTemplate().getSpec());
      case StatefulSet s -> Optional.ofNullable(s.getSpec().getTemplate().getSpec());
      case DaemonSet d -> Optional.ofNullable(d.getSpec().getTemplate().getSpec());
      case Job j -> Optional.ofNullable(j.getSpec().getTemplate().getSpec());
      default -> Optional.empty();
    };
  }

  /** The violations of one pod spec. */
  public static List<String> violations(PodSpec pod) {
    List<String> found = new ArrayList<>();
    PodSecurityContext podContext =
        Optional.ofNullable(pod.getSecurityContext()).orElseGet(PodSecurityContext::new);
    if (Boolean.TRUE.equals(pod.getHostNetwork())
        || Boolean.TRUE.equals(pod.getHostPID())
        || Boolean.TRUE.equals(pod.getHostIPC())) {
      found.add("host namespaces must not be shared (hostNetwork, hostPID, hostIPC)");
    }
    if (podContext.getWindowsOptions() != null
        && Boolean.TRUE.equals(podContext.getWindowsOptions().getHostProcess())) {
      found.add("hostProcess pods are not allowed");
    }
    for (Volume volume : Optional.ofNullable(pod.getVolumes()).orElse(List.of())) {
      String type = volumeType(volume);
      if (!ALLOWED_VOLUMES.contains(type)) {
        found.add("volume " + volume.getName() + " has a disallowed type " + type);
      }
    }
    Optional.ofNullable(podContext.getSysctls()).orElse(List.of()).stream()
        .filter(s -> !SAFE_SYSCTLS.contains(s.getName()))
        .forEach(s -> found.add("sysctl " + s.getName() + " is not allowed"));
    if (podContext.getRunAsUser() != null && podContext.getRunAsUser() == 0) {
      found.add("pod runAsUser must not be 0");
    }
    checkSeLinux("pod", podContext.getSeLinuxOptions(), found);
    if (podContext.getSeccompProfile() != null && !allowedSeccomp(podContext.getSeccompProfile())) {
      found.add("pod seccompProfile must be RuntimeDefault or Localhost");
    }
    if (podContext.getAppArmorProfile() != null
        && "Unconfined".equals(podContext.getAppArmorProfile().getType())) {
      found.add("pod appArmorProfile must not be Unconfined");
    }
    containers(pod).forEach(c -> checkContainer(c, podContext, found));
    return found;
  }

  private static Stream<Container> containers(PodSpec pod) {
    return Stream.concat(
        Optional.ofNullable(pod.getInitContainers()).orElse(List.of()).stream(),
        Optional.ofNullable(pod.getContainers()).orElse(List.of()).stream());
  }

  private static void checkContainer(
      Container container, PodSecurityContext podContext, List<String> found) {
    String name = "container " + container.getName();
    SecurityContext context =
        Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
    if (Boolean.TRUE.equals(context.getPrivileged())) {
      found.add(name + " must not be privileged");
    }
    if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
      found.add(name + " must set allowPrivilegeEscalation=false");
    }
    Capabilities capabilities =
        Optional.ofNullable(context.getCapabilities()).orElseGet(Capabilities::new);
    if (!Optional.ofNullable(capabilities.getDrop()).orElse(List.of()).contains("ALL")) {
      found.add(name + " must drop ALL capabilities");
    }
    Optional.ofNullable(capabilities.getAdd()).orElse(List.of()).stream()
        .filter(cap -> !"NET_BIND_SERVICE".equals(cap))
        .forEach(cap -> found.add(name + " must not add capability " + cap));
    Boolean runAsNonRoot =
        context.getRunAsNonRoot() != null
            ? context.getRunAsNonRoot()
            : podContext.getRunAsNonRoot();
    if (!Boolean.TRUE.equals(runAsNonRoot)) {
      found.add(name + " must set runAsNonRoot=true (on the pod or the container)");
    }
    if (context.getRunAsUser() != null && context.getRunAsUser() == 0) {
      found.add(name + " runAsUser must not be 0");
    }
    SeccompProfile seccomp =
        context.getSeccompProfile() != null
            ? context.getSeccompProfile()
            : podContext.getSeccompProfile();
    if (seccomp == null || !allowedSeccomp(seccomp)) {
      found.add(name + " must use seccompProfile RuntimeDefault or Localhost");
    }
    if (context.getProcMount() != null && !"Default".equals(context.getProcMount())) {
      found.add(name + " procMount must be Default");
    }
    checkSeLinux(name, context.getSeLinuxOptions(), found);
    Optional.ofNullable(container.getPorts()).orElse(List.of()).stream()
        .filter(p -> p.getHostPort() != null && p.getHostPort() != 0)
        .forEach(p -> found.add(name + " must not use hostPort " + p.getHostPort()));
  }

  private static void checkSeLinux(
      String where, io.fabric8.kubernetes.api.model.SELinuxOptions options, List<String> found) {
    if (options == null) {
      return;
    }
    if (options.getType() != null && !SELINUX_TYPES.contains(options.getType())) {
      found.add(where + " seLinuxOptions.type " + options.getType() + " is not allowed");
    }
    if (options.getUser() != null || options.getRole() != null) {
      found.add(where + " must not set seLinuxOptions user or role");
    }
  }

  private static boolean allowedSeccomp(SeccompProfile profile) {
    return "RuntimeDefault".equals(profile.getType()) || "Localhost".equals(profile.getType());
  }

  private static String volumeType(Volume v) {
    if (v.getConfigMap() != null) return "configMap";
    if (v.getCsi() != null) return "csi";
    if (v.getDownwardAPI() != null) return "downwardAPI";
    if (v.getEmptyDir() != null) return "emptyDir";
    if (v.getEphemeral() != null) return "ephemeral";
    if (v.getPersistentVolumeClaim() != null) return "persistentVolumeClaim";
    if (v.getProjected() != null) return "projected";
    if (v.getSecret() != null) return "secret";
    if (v.getHostPath() != null) return "hostPath";
    return "other";
  }
}
