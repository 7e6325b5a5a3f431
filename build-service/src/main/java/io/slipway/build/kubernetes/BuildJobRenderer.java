package io.slipway.build.kubernetes;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.slipway.build.sandbox.BuilderBud;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link BuildJob} as a Kubernetes Job (a pure function of the build and the settings).
 * The pod fetches the exact commit with git, builds it with rootless buildah and pushes the image,
 * each step a container with an exact argument list (no shell):
 *
 * <ol>
 *   <li>init {@code source-init}, {@code source-fetch}, {@code source-checkout}: {@code git init},
 *       {@code git fetch --depth=1 <url> <commit>}, {@code git checkout FETCH_HEAD} into an
 *       emptyDir, under the {@code restricted} Pod Security profile;
 *   <li>init {@code build}: {@code buildah bud} in the builder image with exactly the flags of the
 *       podman sandbox ({@link BuilderBud}), except that bases come from the platform's registry
 *       ({@code --pull=missing}: the pod has no tenant store to import into);
 *   <li>{@code push}: {@code buildah push --digestfile=/dev/termination-log}, so the image's digest
 *       is the container's termination message.
 * </ol>
 *
 * <p>As in the podman sandbox, buildah runs as root of a user namespace of its own: the pod's
 * ({@code hostUsers: false}), so root in the pod is an unprivileged uid on the node. That is the
 * one thing {@code restricted} does not allow: {@code runAsUser: 0} (buildah then makes a nested
 * user namespace from the image's {@code /etc/subuid}, which needs {@code unshare} and {@code
 * mount} that the runtime's default seccomp and AppArmor profiles refuse, so the build namespace
 * gets the privileged Pod Security level, as OpenShift's build SCC does). No privilege escalation,
 * never privileged, only SETUID and SETGID added, no service-account token, requests equal to
 * limits and the build timeout as {@code activeDeadlineSeconds}. A build pod always has a network
 * on a cluster: give the build namespace a deny-all egress NetworkPolicy.
 */
public final class BuildJobRenderer {

  /** The label every build Job and its pod carry with the build's id. */
  public static final String BUILD_ID_LABEL = "slipway.io/build-id";

  static final long GIT_USER = 65532;
  static final long BUILDER_ROOT = 0;
  private static final String WORKSPACE = "/workspace";
  private static final String SOURCE = WORKSPACE + "/src";
  private static final String STORAGE = "/var/lib/containers";

  private final KubernetesBuildProperties settings;

  public BuildJobRenderer(KubernetesBuildProperties settings) {
    this.settings = settings;
  }

  public Job render(BuildJob build) {
    Map<String, String> labels =
        Map.of(
            "app.kubernetes.io/managed-by",
            "slipway-build-service",
            BUILD_ID_LABEL,
            build.buildId().toString(),
            "slipway.io/tenant",
            build.app().tenant(),
            "slipway.io/project",
            build.app().project(),
            "slipway.io/app",
            build.app().app());
    ResourceRequirements resources =
        new ResourceRequirementsBuilder()
            .withRequests(limits(build))
            .withLimits(limits(build))
            .build();
    return new JobBuilder()
        .withNewMetadata()
        .withName(build.jobName())
        .withNamespace(settings.namespace())
        .withLabels(labels)
        .addToAnnotations("slipway.io/commit", build.commitId())
        .addToAnnotations("slipway.io/image", build.image())
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(Math.max(1, build.timeout().toSeconds()))
        .withTtlSecondsAfterFinished((int) settings.ttlAfterFinished().toSeconds())
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withHostUsers(false)
        .withNewSecurityContext()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withInitContainers(
            git("source-init", List.of("git", "init", "-q", SOURCE), resources),
            git(
                "source-fetch",
                List.of(
                    "git",
                    "-C",
                    SOURCE,
                    "fetch",
                    "-q",
                    "--depth=1",
                    build.sourceUrl(),
                    build.commitId()),
                resources),
            git(
                "source-checkout",
                List.of("git", "-C", SOURCE, "checkout", "-q", "FETCH_HEAD"),
                resources),
            buildah("build", budArguments(build), resources))
        .withContainers(buildah("push", pushArguments(build), resources))
        .addNewVolume()
        .withName("workspace")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .addNewVolume()
        .withName("containers")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** {@code buildah bud}: the sandbox's flags, in the pod's own storage. */
  static List<String> budArguments(BuildJob build) {
    List<String> args = new ArrayList<>(List.of("buildah", "bud"));
    args.addAll(
        BuilderBud.fromRegistry(SOURCE + "/" + build.containerfile(), build.image(), SOURCE)
            .arguments());
    return args;
  }

  /** {@code buildah push}, writing the pushed digest as the container's termination message. */
  static List<String> pushArguments(BuildJob build) {
    return List.of(
        "buildah",
        "push",
        "--digestfile=/dev/termination-log",
        build.image(),
        "docker://" + build.image());
  }

  private Container git(String name, List<String> command, ResourceRequirements resources) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(settings.gitImage())
        .withCommand(command)
        .withEnv(new EnvVar("HOME", "/tmp", null))
        .withResources(resources)
        .withVolumeMounts(mount("workspace", WORKSPACE), mount("tmp", "/tmp"))
        .withSecurityContext(restricted())
        .build();
  }

  private Container buildah(String name, List<String> command, ResourceRequirements resources) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(settings.builderImage())
        .withCommand(command)
        .withEnv(new EnvVar("BUILDAH_ISOLATION", "chroot", null))
        .withResources(resources)
        .withVolumeMounts(
            mount("workspace", WORKSPACE), mount("containers", STORAGE), mount("tmp", "/var/tmp"))
        .withSecurityContext(buildahContext())
        .build();
  }

  /** The {@code restricted} profile: non-root, no escalation, no capabilities, read-only root. */
  static SecurityContext restricted() {
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(GIT_USER)
        .withRunAsGroup(GIT_USER)
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withPrivileged(false)
        .withCapabilities(new CapabilitiesBuilder().withDrop("ALL").build())
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /** What buildah as root of the pod's user namespace needs, and nothing more (see above). */
  static SecurityContext buildahContext() {
    Capabilities userNamespace =
        new CapabilitiesBuilder().withDrop("ALL").withAdd("SETUID", "SETGID").build();
    return new SecurityContextBuilder()
        .withRunAsNonRoot(false)
        .withRunAsUser(BUILDER_ROOT)
        .withRunAsGroup(BUILDER_ROOT)
        .withAllowPrivilegeEscalation(false)
        .withPrivileged(false)
        .withReadOnlyRootFilesystem(true)
        .withCapabilities(userNamespace)
        .withNewSeccompProfile()
        .withType("Unconfined")
        .endSeccompProfile()
        .withNewAppArmorProfile()
        .withType("Unconfined")
        .endAppArmorProfile()
        .build();
  }

  private static VolumeMount mount(String volume, String path) {
    VolumeMount mount = new VolumeMount();
    mount.setName(volume);
    mount.setMountPath(path);
    return mount;
  }

  private static Map<String, Quantity> limits(BuildJob build) {
    return Map.of(
        "cpu",
        new Quantity(build.milliCpus() + "m"),
        "memory",
        new Quantity(build.memoryMib() + "Mi"));
  }
}
