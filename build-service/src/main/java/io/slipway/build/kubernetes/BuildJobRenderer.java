package io.slipway.build.kubernetes;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.slipway.build.sandbox.BuilderBud;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders a {@link BuildJob} as a Kubernetes Job (a pure function of the build and the settings).
 * The pod fetches its context from build-service, builds it with rootless buildah and pushes the
 * image, each step a container of the builder image with an exact argument list (no shell):
 *
 * <ol>
 *   <li>init {@code context-fetch}, {@code context-unpack}: the build's one-time context URL
 *       ({@link BuildContexts}) fetched by a constant perl script into an emptyDir and unpacked
 *       there with {@code tar}, under the {@code restricted} Pod Security profile;
 *   <li>init {@code build}: {@code buildah bud} in the builder image with exactly the flags of the
 *       podman sandbox ({@link BuilderBud}), except that bases come from the platform's registry
 *       ({@code --pull=missing}: the pod has no tenant store to import into);
 *   <li>{@code push}: {@code buildah push --digestfile=/dev/termination-log}, so the image's digest
 *       is the container's termination message; with the build's push credential as {@code
 *       REGISTRY_AUTH_FILE}, mounted from {@link #registrySecret} in this step only.
 * </ol>
 *
 * <p>As in the podman sandbox, buildah runs as root of a user namespace of its own: the pod's
 * ({@code hostUsers: false}), so root in the pod is an unprivileged uid on the node. That is the
 * one thing {@code restricted} does not allow: {@code runAsUser: 0} (buildah then makes a nested
 * user namespace from the image's {@code /etc/subuid}, which needs {@code unshare} and {@code
 * mount} that the runtime's default seccomp and AppArmor profiles refuse, so the build namespace
 * gets the privileged Pod Security level, as OpenShift's build SCC does). No privilege escalation,
 * never privileged, only SETUID, SETGID, SETFCAP (writing a uid map that maps root, Linux 5.12+)
 * and SYS_CHROOT (buildah's copier chroots into the context) added, which {@code podman kube play}
 * showed to be the least that builds; no service-account token, requests equal to limits and the
 * build timeout as {@code activeDeadlineSeconds}. A build pod always has a network on a cluster:
 * give the build namespace a deny-all egress NetworkPolicy.
 */
public final class BuildJobRenderer {

  /** The label every build Job and its pod carry with the build's id. */
  public static final String BUILD_ID_LABEL = "slipway.io/build-id";

  static final long FETCH_USER = 65532;
  static final long BUILDER_ROOT = 0;
  private static final String WORKSPACE = "/workspace";
  private static final String SOURCE = WORKSPACE + "/src";
  private static final String STORAGE = "/var/lib/containers";
  private static final String ARCHIVE = WORKSPACE + "/context.tar.gz";
  private static final String REGISTRY_AUTH = "registry-auth";
  private static final String AUTH_DIR = "/run/slipway/registry";
  private static final String DOCKER_CONFIG = ".dockerconfigjson";

  /**
   * The context fetch: an HTTP/1.0 GET of {@code $ARGV[0]} into the file {@code $ARGV[1]}, failing
   * on anything but 200. The builder image has perl's base (and no curl or wget); the script is a
   * constant and the URL an argument, so nothing of the build's is ever parsed as code. Plain HTTP
   * only: the URL is a one-time capability to build-service inside the cluster.
   */
  static final String FETCH =
      """
      use strict; use IO::Socket::INET;
      my ($url, $out) = @ARGV;
      my ($host, $port, $path) = $url =~ m{\\Ahttp://([^/:]+)(?::(\\d+))?(/[A-Za-z0-9/_.-]*)\\z}
        or die "build context: not an http URL\\n";
      my $s = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port || 80, Timeout => 60)
        or die "build context: cannot connect to $host: $@\\n";
      binmode $s;
      print $s "GET $path HTTP/1.0\\r\\nHost: $host\\r\\nConnection: close\\r\\n\\r\\n";
      my $status = <$s> // ''; $status =~ s/\\s+\\z//;
      $status =~ m{\\AHTTP/1\\.[01] 200\\b} or die "build context: $status\\n";
      while (my $line = <$s>) { last if $line =~ /\\A\\r?\\n\\z/ }
      open(my $f, '>', $out) or die "$out: $!\\n"; binmode $f;
      my ($n, $r, $buf) = (0);
      while ($r = read($s, $buf, 65536)) { print $f $buf or die "$out: $!\\n"; $n += $r }
      defined $r or die "build context: $!\\n";
      close $f or die "$out: $!\\n";
      print "build context: $n bytes\\n";
      """;

  private static final JsonMapper JSON = JsonMapper.builder().build();

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
            fetcher(
                "context-fetch",
                List.of("perl", "-e", FETCH, build.contextUrl().toString(), ARCHIVE),
                resources),
            fetcher(
                "context-unpack",
                List.of(
                    "tar",
                    "-xzf",
                    ARCHIVE,
                    "-C",
                    WORKSPACE,
                    "--one-top-level=src",
                    "--no-same-owner"),
                resources),
            buildah("build", budArguments(build), resources, false))
        .withContainers(buildah("push", pushArguments(build), resources, build.pushLogin() != null))
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
        .withName("run")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .addAllToVolumes(
            build.pushLogin() == null
                ? List.of()
                : List.of(
                    new VolumeBuilder()
                        .withName(REGISTRY_AUTH)
                        .withNewSecret()
                        .withSecretName(build.secretName())
                        // Kubernetes' default, spelled out: podman kube play 4.3 needs it
                        .withOptional(false)
                        .withDefaultMode(0440)
                        .endSecret()
                        .build()))
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
    List<String> args =
        new ArrayList<>(List.of("buildah", "push", "--digestfile=/dev/termination-log"));
    if (!build.registryTlsVerify()) {
      args.add("--tls-verify=false");
    }
    args.add(build.image());
    args.add("docker://" + build.image());
    return args;
  }

  /**
   * The Secret of the push step's registry credential: a {@code kubernetes.io/dockerconfigjson}
   * (the containers auth file's format too), owned by the build's Job so that it is deleted with
   * it; empty when the build pushes anonymously.
   */
  public Optional<Secret> registrySecret(BuildJob build, Job owner) {
    if (build.pushLogin() == null) {
      return Optional.empty();
    }
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (build.pushLogin().username() + ":" + build.pushLogin().password())
                    .getBytes(StandardCharsets.UTF_8));
    String config =
        JSON.writeValueAsString(Map.of("auths", Map.of(build.registry(), Map.of("auth", auth))));
    return Optional.of(
        new SecretBuilder()
            .withNewMetadata()
            .withName(build.secretName())
            .withNamespace(settings.namespace())
            .withLabels(Map.of(BUILD_ID_LABEL, build.buildId().toString()))
            .addNewOwnerReference()
            .withApiVersion("batch/v1")
            .withKind("Job")
            .withName(owner.getMetadata().getName())
            .withUid(owner.getMetadata().getUid())
            .withController(true)
            .endOwnerReference()
            .endMetadata()
            .withType("kubernetes.io/dockerconfigjson")
            .withImmutable(true)
            .addToData(
                DOCKER_CONFIG,
                Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8)))
            .build());
  }

  /** A step that only moves the context: the builder image under {@code restricted}. */
  private Container fetcher(String name, List<String> command, ResourceRequirements resources) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(settings.builderImage())
        .withCommand(command)
        .withResources(resources)
        .withVolumeMounts(mount("workspace", WORKSPACE))
        .withSecurityContext(restricted())
        .build();
  }

  private Container buildah(
      String name, List<String> command, ResourceRequirements resources, boolean registryAuth) {
    List<EnvVar> env = new ArrayList<>(List.of(new EnvVar("BUILDAH_ISOLATION", "chroot", null)));
    List<VolumeMount> mounts =
        new ArrayList<>(
            List.of(
                mount("workspace", WORKSPACE),
                mount("containers", STORAGE),
                mount("run", "/run/containers"),
                mount("tmp", "/var/tmp")));
    if (registryAuth) {
      // the key's own file name: podman kube play 4.3 ignores a secret volume's items
      env.add(new EnvVar("REGISTRY_AUTH_FILE", AUTH_DIR + "/" + DOCKER_CONFIG, null));
      VolumeMount secret = mount(REGISTRY_AUTH, AUTH_DIR);
      secret.setReadOnly(true);
      mounts.add(secret);
    }
    return new ContainerBuilder()
        .withName(name)
        .withImage(settings.builderImage())
        .withCommand(command)
        .withEnv(env)
        .withResources(resources)
        .withVolumeMounts(mounts)
        .withSecurityContext(buildahContext())
        .build();
  }

  /** The {@code restricted} profile: non-root, no escalation, no capabilities, read-only root. */
  static SecurityContext restricted() {
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(FETCH_USER)
        .withRunAsGroup(FETCH_USER)
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
        new CapabilitiesBuilder()
            .withDrop("ALL")
            .withAdd("SETUID", "SETGID", "SETFCAP", "SYS_CHROOT")
            .build();
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
