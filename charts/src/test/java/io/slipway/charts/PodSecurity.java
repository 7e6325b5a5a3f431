package io.slipway.charts;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Kubernetes Pod Security Standards "restricted" profile (v1.30), as code: every rule a pod
 * spec must meet, each violation named. The baseline rules (no host namespaces, no privileged
 * containers, no host ports or hostPath) are part of it.
 */
final class PodSecurity {

  private PodSecurity() {}

  /** Every violation of the restricted profile in {@code pod}; empty when it complies. */
  static List<String> restrictedViolations(PodSpec pod) {
    List<String> violations = new ArrayList<>();
    PodSecurityContext podContext =
        pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
    if (Boolean.TRUE.equals(pod.getHostNetwork())
        || Boolean.TRUE.equals(pod.getHostPID())
        || Boolean.TRUE.equals(pod.getHostIPC())) {
      violations.add("host namespaces are shared");
    }
    if (podContext.getRunAsUser() != null && podContext.getRunAsUser() == 0) {
      violations.add("pod runs as user 0");
    }
    for (Volume volume : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
      if (volume.getHostPath() != null || !allowedVolume(volume)) {
        violations.add("volume " + volume.getName() + " has a type the profile forbids");
      }
    }
    Stream.of(pod.getInitContainers(), pod.getContainers())
        .filter(list -> list != null)
        .flatMap(List::stream)
        .forEach(container -> violations.addAll(containerViolations(container, podContext)));
    return violations;
  }

  private static List<String> containerViolations(Container container, PodSecurityContext pod) {
    List<String> violations = new ArrayList<>();
    String name = "container " + container.getName() + ": ";
    SecurityContext context =
        container.getSecurityContext() == null
            ? new SecurityContext()
            : container.getSecurityContext();
    if (Boolean.TRUE.equals(context.getPrivileged())) {
      violations.add(name + "privileged");
    }
    if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
      violations.add(name + "allowPrivilegeEscalation is not false");
    }
    Boolean nonRoot =
        context.getRunAsNonRoot() != null ? context.getRunAsNonRoot() : pod.getRunAsNonRoot();
    if (!Boolean.TRUE.equals(nonRoot)) {
      violations.add(name + "runAsNonRoot is not true");
    }
    if (context.getRunAsUser() != null && context.getRunAsUser() == 0) {
      violations.add(name + "runs as user 0");
    }
    SeccompProfile seccomp =
        context.getSeccompProfile() != null ? context.getSeccompProfile() : pod.getSeccompProfile();
    if (seccomp == null || !Set.of("RuntimeDefault", "Localhost").contains(seccomp.getType())) {
      violations.add(name + "seccompProfile is not RuntimeDefault or Localhost");
    }
    Capabilities capabilities = context.getCapabilities();
    if (capabilities == null
        || capabilities.getDrop() == null
        || !capabilities.getDrop().contains("ALL")) {
      violations.add(name + "capabilities do not drop ALL");
    }
    if (capabilities != null
        && capabilities.getAdd() != null
        && !Set.of("NET_BIND_SERVICE").containsAll(capabilities.getAdd())) {
      violations.add(name + "adds capabilities " + capabilities.getAdd());
    }
    if (container.getPorts() != null
        && container.getPorts().stream()
            .anyMatch(p -> p.getHostPort() != null && p.getHostPort() != 0)) {
      violations.add(name + "uses a host port");
    }
    return violations;
  }

  private static boolean allowedVolume(Volume volume) {
    // The profile's allowed volume types; anything else (hostPath, nfs, ...) is refused.
    return volume.getConfigMap() != null
        || volume.getCsi() != null
        || volume.getDownwardAPI() != null
        || volume.getEmptyDir() != null
        || volume.getEphemeral() != null
        || volume.getPersistentVolumeClaim() != null
        || volume.getProjected() != null
        || volume.getSecret() != null;
  }
}
