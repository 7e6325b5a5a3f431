package io.slipway.runtime.render;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.slipway.runtime.model.AppSpec;
import java.util.List;
import java.util.Map;

/**
 * One revision of an app as a Deployment, named {@code <app id>-v<revision>} so that revisions can
 * run side by side while the router switches (the Service selects every ready pod of the app): a
 * restricted pod (non-root, no privilege escalation, every capability dropped, RuntimeDefault
 * seccomp, read-only root where the app allows), its limits, and a readiness probe on the health
 * path. Rolling updates never drop below the wanted replicas. The image's own entrypoint and
 * command run (none is set here), told their port in {@code $PORT}; the pod shares one process
 * namespace, so that its pause container is PID 1 and reaps the orphans an app leaves behind, as
 * the init process does on Podman.
 */
public final class DeploymentRenderer {

  /** The name of a revision's Deployment. */
  public static String name(io.slipway.runtime.model.AppRef ref, int revision) {
    return ref.appId() + "-v" + revision;
  }

  public Deployment render(AppSpec spec) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name(spec.ref(), spec.revision()))
        .withNamespace(spec.ref().namespace())
        .withLabels(Labels.app(spec.ref()))
        .addToLabels(Labels.REVISION, Integer.toString(spec.revision()))
        .endMetadata()
        .withNewSpec()
        .withReplicas(spec.replicas())
        .withRevisionHistoryLimit(0)
        .withNewSelector()
        .withMatchLabels(Labels.selector(spec.ref()))
        .endSelector()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString(0))
        .withMaxSurge(new IntOrString(1))
        .endRollingUpdate()
        .endStrategy()
        .withTemplate(template(spec))
        .endSpec()
        .build();
  }

  /**
   * The pod of one revision: what a Deployment keeps running and what a Knative Service's revision
   * template holds ({@link KnativeServiceRenderer}), so both run the same restricted pod.
   */
  public PodTemplateSpec template(AppSpec spec) {
    Map<String, Quantity> limits =
        Map.of(
            "cpu", new Quantity(spec.cpuMillicores() + "m"),
            "memory", new Quantity(spec.memoryMib() + "Mi"));
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(Labels.app(spec.ref()))
        .addToLabels(Labels.REVISION, Integer.toString(spec.revision()))
        .endMetadata()
        .withNewSpec()
        // the pause container becomes PID 1: it reaps orphaned children that exited, which an app
        // run as PID 1 rarely does (they would stay zombies and fill the process table)
        .withShareProcessNamespace(true)
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(spec.runAsUser())
        .withRunAsGroup(spec.runAsUser())
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(spec, limits))
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .withSizeLimit(new Quantity("64Mi"))
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .build();
  }

  private static Container container(AppSpec spec, Map<String, Quantity> limits) {
    List<EnvVar> env = new java.util.ArrayList<>();
    spec.env().entrySet().stream()
        .filter(variable -> !variable.getKey().equals(AppSpec.PORT_VARIABLE))
        .forEach(variable -> env.add(new EnvVar(variable.getKey(), variable.getValue(), null)));
    // Secret values stay in the revision's Secret; the pod only names them.
    spec.secrets().keySet().stream()
        .filter(name -> !name.equals(AppSpec.PORT_VARIABLE))
        .forEach(
            name ->
                env.add(
                    new io.fabric8.kubernetes.api.model.EnvVarBuilder()
                        .withName(name)
                        .withNewValueFrom()
                        .withNewSecretKeyRef()
                        .withName(SecretRenderer.name(spec.ref(), spec.revision()))
                        .withKey(name)
                        .endSecretKeyRef()
                        .endValueFrom()
                        .build()));
    env.add(new EnvVar(AppSpec.PORT_VARIABLE, Integer.toString(spec.port()), null));
    return new ContainerBuilder()
        .withName("app")
        .withImage(spec.imageReference())
        .withImagePullPolicy("IfNotPresent")
        .withEnv(env)
        .addNewPort()
        .withName("http")
        .withContainerPort(spec.port())
        .withProtocol("TCP")
        .endPort()
        .withNewResources()
        .withLimits(limits)
        .withRequests(limits)
        .endResources()
        .withNewReadinessProbe()
        .withNewHttpGet()
        .withPath(spec.healthPath())
        .withPort(new IntOrString(spec.port()))
        .endHttpGet()
        .withPeriodSeconds(2)
        .withFailureThreshold(3)
        .endReadinessProbe()
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withPrivileged(false)
        .withRunAsNonRoot(true)
        .withReadOnlyRootFilesystem(spec.readOnlyRootFilesystem())
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .build();
  }
}
