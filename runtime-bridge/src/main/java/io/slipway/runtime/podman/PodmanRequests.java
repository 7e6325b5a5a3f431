package io.slipway.runtime.podman;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.ProcessSpec;
import io.slipway.runtime.model.ProcessTypes;
import io.slipway.runtime.render.Labels;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The names, paths and bodies of the podman API calls the driver makes (paths after {@code
 * /v4.0.0/libpod}). Pure: nothing here calls anything, so every call is checked exactly by a unit
 * test.
 */
public final class PodmanRequests {

  /** Where a read-only container may still write: what {@code podman run --read-only} mounts. */
  static final List<String> WRITABLE_TMPFS = List.of("/tmp", "/var/tmp", "/run");

  private static final long CPU_PERIOD_MICROS = 100_000;

  /**
   * Where an instance with secrets finds them: one podman secret (named as the container) of {@code
   * NAME=value} lines, mounted as a file only the app's user may read. Podman's inspect shows its
   * name and this path, never its content; {@code type=env} secrets would show in {@code
   * Config.Env} (podman 4.3).
   */
  static final String SECRETS_FILE = "/.slipway/secrets";

  /**
   * The host's static busybox (Debian's busybox-static), mounted read-only into an instance with
   * secrets: its shell turns {@link #SECRETS_FILE} into variables and then runs the app's command,
   * so an image needs no shell of its own.
   */
  static final String LOADER_SOURCE = "/bin/busybox";

  static final String LOADER = "/.slipway/busybox";

  /**
   * Exports each line of the secrets file, then runs the command in {@code "$@"}. A bare command
   * name is looked up in {@code $PATH} here: busybox's shell would else run an applet of that name
   * ({@code sh}, {@code env}, {@code httpd}) instead of the image's program.
   */
  static final String LOAD_SECRETS =
      "while IFS= read -r line || [ -n \"$line\" ]; do export \"$line\"; done < "
          + SECRETS_FILE
          + "; unset line; c=$1; shift; case $c in */*) ;; *) IFS=:; for d in $PATH; do"
          + " if [ -f \"$d/$c\" ] && [ -x \"$d/$c\" ]; then c=$d/$c; break; fi; done;"
          + " unset IFS d;; esac; exec \"$c\" \"$@\"";

  /**
   * How often podman restarts a failing process before leaving it to the reconciler, whose passes
   * (every 10 s) keep a crashing worker from spinning.
   */
  static final int PROCESS_RESTART_TRIES = 3;

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** A one-off run's id as it goes into a container name. */
  private static final Pattern RUN_ID = Pattern.compile("[a-z0-9]{12}");

  private final PodmanSettings settings;

  public PodmanRequests(PodmanSettings settings) {
    this.settings = settings;
  }

  /** One network per project: {@code <prefix><project id>}. */
  public String networkName(AppRef ref) {
    return settings.namePrefix() + ref.projectId();
  }

  /** {@code <prefix><app id>-v<revision>-<index>}: ids are unique across tenants. */
  public String containerName(AppRef ref, int revision, int index) {
    return settings.namePrefix() + ref.appId() + "-v" + revision + "-" + index;
  }

  /**
   * {@code <prefix><app id>-v<revision>-<type>-<index>}: one instance of another process type. A
   * type is letters, digits, {@code _} and {@code -} ({@link ProcessTypes#NAME}) and the index is
   * digits after the last {@code -}, so no two (type, index) pairs, and no web instance ({@code
   * -v<revision>-<index>}), give one name.
   */
  public String containerName(AppRef ref, int revision, String type, int index) {
    if (!ProcessTypes.validName(type)) {
      throw new IllegalArgumentException("invalid process type");
    }
    return settings.namePrefix() + ref.appId() + "-v" + revision + "-" + type + "-" + index;
  }

  public String networkExists(AppRef ref) {
    return "/networks/" + networkName(ref) + "/exists";
  }

  /** An isolated bridge: containers on other isolated networks cannot reach it. */
  public Map<String, Object> networkCreate(AppRef ref) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", networkName(ref));
    body.put("driver", "bridge");
    body.put("options", Map.of("isolate", "true"));
    body.put("labels", new TreeMap<>(Labels.project(ref)));
    return body;
  }

  /** A network's interface, subnets and DNS setting. */
  public String networkInspect(String network) {
    return "/networks/" + network + "/json";
  }

  public String networkRemove(AppRef ref) {
    return networkRemove(networkName(ref));
  }

  /** Deletes a network and every container still on it. */
  public String networkRemove(String network) {
    return "/networks/" + network + "?force=true";
  }

  /** The network of a project, by its id. */
  public String networkName(String projectId) {
    return settings.namePrefix() + projectId;
  }

  /** The networks this bridge made for the tenant's projects. */
  public String listTenantNetworks(String tenantId) {
    return "/networks/json?filters="
        + encode(
            JSON.writeValueAsString(
                new TreeMap<>(
                    Map.of(
                        "label",
                        List.of(Labels.TENANT_ID + "=" + tenantId),
                        "name",
                        List.of("^" + settings.namePrefix())))));
  }

  /**
   * One instance of a revision, hardened and limited as its spec says. Its secrets are not in this
   * body: they are the podman secret {@link #secretsFile} makes, read by a loader that then runs
   * {@code imageCommand} (the image's entrypoint and command, needed only when there are secrets).
   */
  public Map<String, Object> create(AppSpec spec, int index, List<String> imageCommand) {
    String name = containerName(spec.ref(), spec.revision(), index);
    Map<String, Object> body = create(spec, index, name);
    // in its pod's network namespace rather than one of its own: see podCreate
    body.remove("netns");
    body.remove("Networks");
    body.put("pod", podName(name));
    @SuppressWarnings("unchecked")
    Map<String, String> env = (Map<String, String>) body.get("env");
    env.put(AppSpec.PORT_VARIABLE, Integer.toString(spec.port()));
    if (!spec.secrets().isEmpty()) {
      runAfterLoadingSecrets(body, imageCommand);
    }
    return body;
  }

  /** One instance of a revision without secrets (its image's own command runs). */
  public Map<String, Object> create(AppSpec spec, int index) {
    if (!spec.secrets().isEmpty()) {
      throw new IllegalArgumentException("an instance with secrets needs its image's command");
    }
    return create(spec, index, List.of());
  }

  /**
   * One instance of the revision's process type {@code type}: hardened and limited as a web
   * instance, with the app's variables and secrets but no {@code PORT} (nothing routes to it), its
   * command run by {@code /bin/sh -c} in the container (the entrypoint, so an image's own {@code
   * ENTRYPOINT} does not wrap it; the command is one argument, never read by a shell on the host),
   * started again by podman when it fails (the reconciler starts it again after that).
   */
  public Map<String, Object> create(AppSpec spec, String type, int index) {
    ProcessSpec process = spec.processes().get(type);
    if (process == null) {
      throw new IllegalArgumentException("revision " + spec.revision() + " has no such type");
    }
    Map<String, Object> body =
        create(spec, index, containerName(spec.ref(), spec.revision(), type, index));
    @SuppressWarnings("unchecked")
    Map<String, String> labels = (Map<String, String>) body.get("labels");
    labels.put(Labels.PROCESS, type);
    runShell(body, spec, process.command());
    body.put("restart_policy", "on-failure");
    body.put("restart_tries", PROCESS_RESTART_TRIES);
    return body;
  }

  /**
   * A one-off container of the revision for the release phase or a deploy script ({@code phase}):
   * hardened and limited as any instance, with the app's variables and secrets (no {@code PORT}:
   * nothing routes to it), its command run by {@code /bin/sh -c} in the container as a process
   * type's is, and never started again by podman.
   */
  public Map<String, Object> createOneOff(AppSpec spec, String phase, String command) {
    if (!ProcessTypes.validCommand(command)) {
      throw new IllegalArgumentException("invalid " + phase + " command");
    }
    Map<String, Object> body =
        oneOff(spec, command, containerName(spec.ref(), spec.revision(), phase, 0));
    @SuppressWarnings("unchecked")
    Map<String, String> labels = (Map<String, String>) body.get("labels");
    labels.put(Labels.PROCESS, phase);
    return body;
  }

  /**
   * {@code <prefix><app id>-v<revision>-run-<run id>}: a developer's one-off run. Process type
   * instances end in their (small) index and a release is {@code -release-0}, so a run id of 12
   * letters and digits gives a name of its own.
   */
  public String runName(AppRef ref, int revision, String runId) {
    if (!RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("invalid run id");
    }
    return settings.namePrefix() + ref.appId() + "-v" + revision + "-run-" + runId;
  }

  /**
   * A developer's one-off run of {@code command}: a one-off container as {@link #createOneOff}
   * makes, with no process type (it is no instance of the app), labelled with its run id and when
   * it is overdue ({@code deadlineEpochSecond}), and killed by podman itself after {@code
   * killAfterSeconds} should nobody be left to wait for it.
   */
  public Map<String, Object> createRun(
      AppSpec spec, String runId, String command, long deadlineEpochSecond, long killAfterSeconds) {
    if (!ProcessTypes.validRunCommand(command)) {
      throw new IllegalArgumentException("invalid run command");
    }
    Map<String, Object> body = oneOff(spec, command, runName(spec.ref(), spec.revision(), runId));
    @SuppressWarnings("unchecked")
    Map<String, String> labels = (Map<String, String>) body.get("labels");
    labels.put(Labels.RUN, runId);
    labels.put(Labels.RUN_DEADLINE, Long.toString(deadlineEpochSecond));
    body.put("timeout", killAfterSeconds);
    return body;
  }

  private Map<String, Object> oneOff(AppSpec spec, String command, String name) {
    Map<String, Object> body = create(spec, 0, name);
    runShell(body, spec, command);
    return body;
  }

  /** Runs {@code command} with the image's {@code /bin/sh -c}, after the secrets are loaded. */
  private static void runShell(Map<String, Object> body, AppSpec spec, String command) {
    List<String> shell = List.of("/bin/sh", "-c", command);
    if (spec.secrets().isEmpty()) {
      body.put("entrypoint", shell);
      body.put("command", List.of());
    } else {
      runAfterLoadingSecrets(body, shell);
    }
  }

  private static void runAfterLoadingSecrets(Map<String, Object> body, List<String> command) {
    List<String> entrypoint = new ArrayList<>(List.of(LOADER, "sh", "-c", LOAD_SECRETS, "slipway"));
    entrypoint.addAll(command);
    body.put("entrypoint", entrypoint);
    body.put("command", List.of());
  }

  /**
   * The content of the podman secret of the instance {@code body} creates: a {@code NAME=value}
   * line per secret (values are one line, {@link io.slipway.runtime.model.EnvRules}) but those the
   * body sets as variables ({@code PORT}, which the runtime sets over any secret of that name);
   * never logged, never in a create body.
   */
  public static byte[] secretsFile(AppSpec spec, Map<String, Object> body) {
    Map<?, ?> variables = (Map<?, ?>) body.get("env");
    StringBuilder lines = new StringBuilder();
    spec.secrets()
        .forEach(
            (name, value) -> {
              if (!variables.containsKey(name)) {
                lines.append(name).append('=').append(value).append('\n');
              }
            });
    return lines.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Stores the secret {@code name} (an instance's: named as the container), from the body sent. */
  public static String secretCreate(String name) {
    return "/secrets/create?name=" + encode(name);
  }

  /** Deletes the secret {@code name}. */
  public static String secretRemove(String name) {
    return "/secrets/" + encode(name);
  }

  /** Every secret of the host (names and dates, never content). */
  public static String listSecrets() {
    return "/secrets/json";
  }

  private Map<String, Object> create(AppSpec spec, int index, String name) {
    AppRef ref = spec.ref();
    Map<String, String> labels = new TreeMap<>(Labels.app(ref));
    labels.put(Labels.REVISION, Integer.toString(spec.revision()));
    labels.put(Labels.INSTANCE, Integer.toString(index));
    labels.put(Labels.PORT, Integer.toString(spec.port()));
    Map<String, String> env = new TreeMap<>(spec.env());
    long memory = spec.memoryMib() * 1024L * 1024L;

    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("image", spec.imageReference());
    body.put("labels", labels);
    body.put("netns", Map.of("nsmode", "bridge"));
    body.put("Networks", Map.of(networkName(ref), Map.of()));
    body.put("cap_drop", List.of("ALL"));
    body.put("no_new_privileges", true);
    // A tiny init as PID 1 forwards SIGTERM to the app: an app run as PID 1 ignores it unless it
    // installs a handler, and every stop would then wait out the whole stop timeout. It also reaps
    // the orphans an app leaves behind, which would else stay zombies until the pids limit is hit.
    body.put("init", true);
    body.put(
        "resource_limits",
        Map.of(
            "pids", Map.of("limit", settings.pidsLimit()),
            "memory", Map.of("limit", memory, "swap", memory),
            "cpu",
                Map.of(
                    "quota",
                    spec.cpuMillicores() * CPU_PERIOD_MICROS / 1000,
                    "period",
                    CPU_PERIOD_MICROS)));
    List<Map<String, Object>> mounts = new ArrayList<>();
    if (spec.readOnlyRootFilesystem()) {
      body.put("read_only_filesystem", true);
      // the API does not add these as `podman run --read-only` does. Owned by the container's
      // user (U): podman 4.3 mounts them again as root's, mode 755, when a container starts a
      // second time (a restart, a wake from zero), which the app could no longer write
      for (String path : WRITABLE_TMPFS) {
        mounts.add(
            Map.of(
                "destination",
                path,
                "type",
                "tmpfs",
                "source",
                "tmpfs",
                "options",
                List.of("rw", "nosuid", "nodev", "U")));
      }
    }
    if (!spec.secrets().isEmpty()) {
      mounts.add(
          Map.of(
              "destination",
              LOADER,
              "type",
              "bind",
              "source",
              LOADER_SOURCE,
              "options",
              List.of("ro", "nosuid", "nodev")));
      // readable by the app's user alone; uid and mode as podman's specgen spells them
      body.put(
          "secrets",
          List.of(
              Map.of(
                  "Source",
                  name,
                  "Target",
                  SECRETS_FILE,
                  "UID",
                  spec.runAsUser(),
                  "GID",
                  spec.runAsUser(),
                  "Mode",
                  0400)));
    }
    if (!mounts.isEmpty()) {
      body.put("mounts", mounts);
    }
    body.put("user", spec.runAsUser() + ":" + spec.runAsUser());
    body.put("env", env);
    return body;
  }

  public String start(String container) {
    return "/containers/" + container + "/start";
  }

  /** Stops (SIGTERM, then SIGKILL after the stop timeout) and keeps the container. */
  public String stop(String container) {
    return "/containers/" + container + "/stop?timeout=" + settings.stopTimeout().toSeconds();
  }

  /** Freezes the container's processes (the cgroup freezer); {@link #unpause} thaws them. */
  public String pause(String container) {
    return "/containers/" + container + "/pause";
  }

  public String unpause(String container) {
    return "/containers/" + container + "/unpause";
  }

  /** Kills the container at once (no grace: it is stuck) and starts it again. */
  public String restart(String container) {
    return "/containers/" + container + "/restart?t=0";
  }

  /** One sample of these containers' resource use (libpod's stats, not streamed). */
  public String stats(List<String> containers) {
    return "/containers/stats?stream=false"
        + containers.stream().map(c -> "&containers=" + c).collect(Collectors.joining());
  }

  /** {@code <instance>-pod}: the pod of a web instance, named from immutable ids as it is. */
  public String podName(String container) {
    return container + "-pod";
  }

  /**
   * The pod of one web instance: podman's infra container (a pause process of a few hundred kB)
   * holds the instance's network namespace on the project's network, and nothing else is shared. It
   * keeps running while the instance is stopped at zero, so the namespace, its address, routes and
   * firewall rules survive the stop and a wake starts only the app (a stopped start spends about 45
   * % of its time setting the network up; docs/performance.md).
   */
  public Map<String, Object> podCreate(AppRef ref, String pod) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", pod);
    body.put("netns", Map.of("nsmode", "bridge"));
    body.put("Networks", Map.of(networkName(ref), Map.of()));
    body.put("shared_namespaces", List.of("net"));
    return body;
  }

  /** Deletes the pod of the instance {@code container} (its infra with it), if it has one. */
  public String podRemove(String container) {
    return podDelete(podName(container));
  }

  /** Deletes the pod {@code pod} and its infra container. */
  public String podDelete(String pod) {
    return "/pods/" + pod + "?force=true";
  }

  /**
   * The pods of the app's instances: named {@code <prefix><app id>-…}, and an app id (a letter and
   * eleven base32 characters) is never the start of another.
   */
  public String listAppPods(AppRef ref) {
    return "/pods/json?filters="
        + encode(
            JSON.writeValueAsString(
                Map.of("name", List.of("^" + settings.namePrefix() + ref.appId() + "-"))));
  }

  /** Stops (SIGTERM, then SIGKILL after the stop timeout) and deletes. */
  public String remove(String container) {
    return "/containers/" + container + "?force=true&timeout=" + settings.stopTimeout().toSeconds();
  }

  /** State, exit code and addresses of one container. */
  public String inspect(String container) {
    return "/containers/" + container + "/json";
  }

  /** Every container of the app, running or not. */
  public String listApp(AppRef ref) {
    return list(Map.of("label", List.of(Labels.APP_ID + "=" + ref.appId())));
  }

  /**
   * Every container this bridge manages: Slipway's label and this bridge's name prefix, so that two
   * bridges on one machine (a developer's platform and a test run) never take each other's
   * containers for orphans.
   */
  public String listManaged() {
    return list(
        Map.of(
            "label",
            List.of(Labels.MANAGED_BY + "=" + Labels.SLIPWAY),
            "name",
            List.of("^" + settings.namePrefix())));
  }

  /**
   * The last {@code lines} lines of a container's output (both streams, in frames), then (when
   * {@code follow}) what it writes next.
   */
  public String logs(String container, int lines, boolean follow) {
    return "/containers/"
        + container
        + "/logs?stdout=true&stderr=true&tail="
        + lines
        + (follow ? "&follow=true" : "");
  }

  /** A container's whole output (both streams, in frames), then what it writes next. */
  public String output(String container) {
    return "/containers/" + container + "/logs?stdout=true&stderr=true&follow=true";
  }

  /**
   * The repository of an app's claims on images from a registry: one tag per image its instances
   * were created from ({@link #claimTag}). Tags are the store's own record of who holds an image,
   * so a restarted bridge finds them again.
   */
  public String claimRepository(String appId) {
    return "localhost/" + settings.namePrefix() + "images/" + appId;
  }

  /**
   * Marks an image this bridge pulled (as opposed to one somebody else put in the store, which it
   * never deletes).
   */
  public String pulledRepository() {
    return "localhost/" + settings.namePrefix() + "pulled";
  }

  /** The tag that stands for {@code reference} in a claim repository: a hash of it. */
  public static String claimTag(String reference) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(reference.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always there", e);
    }
  }

  /** Whether the driver fetches {@code reference} from a registry (it is not a local build). */
  public static boolean fromRegistry(String reference) {
    return !reference.startsWith("localhost/");
  }

  /** Tags the image {@code reference} names as {@code repository:tag}. */
  public static String tag(String reference, String repository, String tag) {
    return "/images/" + encode(reference) + "/tag?repo=" + encode(repository) + "&tag=" + tag;
  }

  /** Takes the name {@code repository:tag} off the image {@code imageId}. */
  public static String untag(String imageId, String repository, String tag) {
    return "/images/" + imageId + "/untag?repo=" + encode(repository) + "&tag=" + tag;
  }

  /** Pulls {@code reference} unless the store has it. */
  public static String pull(String reference) {
    return "/images/pull?reference=" + encode(reference) + "&policy=missing";
  }

  /** The images named under {@code repository} (any tag). */
  public static String listImages(String repository) {
    return "/images/json?filters="
        + encode(JSON.writeValueAsString(Map.of("reference", List.of(repository))));
  }

  /** Every container of the host created from the image, running or not, whoever made it. */
  public static String listUsing(String imageId) {
    return list(Map.of("ancestor", List.of(imageId)));
  }

  /** Deletes a name of an image (the image itself with its last name); never forced. */
  public static String removeImage(String nameOrId) {
    return "/images/" + encode(nameOrId);
  }

  /** An image in local storage, by reference. */
  public static String image(String reference) {
    return "/images/" + encode(reference) + "/json";
  }

  private static String list(Map<String, List<String>> filters) {
    return "/containers/json?all=true&filters="
        + encode(JSON.writeValueAsString(new TreeMap<>(filters)));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
