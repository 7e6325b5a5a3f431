package io.slipway.runtime.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The desired state of one revision of an app: what runs, how many, with which limits. Immutable; a
 * new deployment makes a new revision.
 *
 * @param ref the app
 * @param revision the revision number, from 1, increasing per app
 * @param image the image reference (registry/name[:tag]), as built or pulled
 * @param digest the image digest ({@code sha256:...}) when known; when given, it is what runs
 * @param replicas how many instances, 0 to 100
 * @param port the TCP port the app listens on inside its container (unprivileged: 1024 to 65535)
 * @param env environment variables (kept sorted by name)
 * @param cpuMillicores CPU limit per replica
 * @param memoryMib memory limit per replica
 * @param healthPath the HTTP path that answers 2xx or 3xx when the app is ready
 * @param runAsUser the non-root user the container runs as
 * @param readOnlyRootFilesystem whether the root filesystem is mounted read-only (a writable {@code
 *     /tmp} is always given)
 * @param secrets secret environment variables (kept sorted by name): never logged, stored only
 *     encrypted, handed to the runtime outside its command line where it allows
 * @param processes the process types other than {@code web} that run beside it, by name (kept
 *     sorted): each runs its own command from the same image, as many times as its count says
 */
public record AppSpec(
    AppRef ref,
    int revision,
    String image,
    String digest,
    int replicas,
    int port,
    Map<String, String> env,
    int cpuMillicores,
    int memoryMib,
    String healthPath,
    long runAsUser,
    boolean readOnlyRootFilesystem,
    Map<String, String> secrets,
    Map<String, ProcessSpec> processes) {

  /** The user that images without a non-root user of their own run as: {@code nobody}. */
  public static final long DEFAULT_USER = 65534;

  /**
   * The variable that tells every instance its {@link #port()}, as Heroku's {@code $PORT} does: set
   * by the runtime, over any variable or secret of the same name.
   */
  public static final String PORT_VARIABLE = "PORT";

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  public AppSpec {
    Objects.requireNonNull(ref, "ref");
    require(revision >= 1, "revision must be at least 1");
    require(image != null && !image.isBlank() && !image.contains(" "), "image is required");
    require(digest == null || DIGEST.matcher(digest).matches(), "digest must be sha256:<64 hex>");
    require(replicas >= 0 && replicas <= 100, "replicas must be 0 to 100");
    require(port >= 1024 && port <= 65535, "port must be 1024 to 65535 (non-root)");
    require(cpuMillicores >= 10 && cpuMillicores <= 64_000, "cpuMillicores must be 10 to 64000");
    require(memoryMib >= 16 && memoryMib <= 262_144, "memoryMib must be 16 to 262144");
    require(healthPath != null && healthPath.startsWith("/"), "healthPath must start with /");
    require(runAsUser > 0, "runAsUser must not be root (0)");
    SortedMap<String, String> sorted = new TreeMap<>(env == null ? Map.of() : env);
    require(
        sorted.size() <= EnvRules.MAX_VARIABLES,
        "at most " + EnvRules.MAX_VARIABLES + " env variables");
    sorted.forEach(
        (name, value) -> {
          require(EnvRules.validName(name), "env name '" + name + "' is invalid");
          require(
              EnvRules.validValue(value),
              "env '"
                  + name
                  + "' must be one line of at most "
                  + EnvRules.MAX_VALUE
                  + " characters");
        });
    env = Collections.unmodifiableSortedMap(sorted);
    SortedMap<String, String> hidden = new TreeMap<>(secrets == null ? Map.of() : secrets);
    require(hidden.size() <= EnvRules.MAX_SECRETS, "at most " + EnvRules.MAX_SECRETS + " secrets");
    for (Map.Entry<String, String> secret : hidden.entrySet()) {
      String name = secret.getKey();
      require(EnvRules.validName(name), "secret name '" + name + "' is invalid");
      require(secret.getValue() != null, "secret '" + name + "' has no value");
      require(
          EnvRules.validSecretValue(secret.getValue()),
          "secret '"
              + name
              + "' must be one line of at most "
              + EnvRules.MAX_SECRET_VALUE
              + " characters");
      require(!sorted.containsKey(name), "'" + name + "' is both an env variable and a secret");
    }
    secrets = Collections.unmodifiableSortedMap(hidden);
    SortedMap<String, ProcessSpec> types = new TreeMap<>(processes == null ? Map.of() : processes);
    require(
        types.size() <= ProcessTypes.MAX_TYPES,
        "at most " + ProcessTypes.MAX_TYPES + " process types");
    for (Map.Entry<String, ProcessSpec> type : types.entrySet()) {
      require(
          ProcessTypes.validName(type.getKey())
              && !type.getKey().equals(ProcessTypes.WEB)
              && !type.getKey().equals(ProcessTypes.RELEASE),
          "process type '" + type.getKey() + "' is invalid");
      Objects.requireNonNull(type.getValue(), "process type " + type.getKey());
    }
    processes = Collections.unmodifiableSortedMap(types);
  }

  /** A spec without other process types. */
  public AppSpec(
      AppRef ref,
      int revision,
      String image,
      String digest,
      int replicas,
      int port,
      Map<String, String> env,
      int cpuMillicores,
      int memoryMib,
      String healthPath,
      long runAsUser,
      boolean readOnlyRootFilesystem,
      Map<String, String> secrets) {
    this(
        ref,
        revision,
        image,
        digest,
        replicas,
        port,
        env,
        cpuMillicores,
        memoryMib,
        healthPath,
        runAsUser,
        readOnlyRootFilesystem,
        secrets,
        Map.of());
  }

  /** A spec without secrets. */
  public AppSpec(
      AppRef ref,
      int revision,
      String image,
      String digest,
      int replicas,
      int port,
      Map<String, String> env,
      int cpuMillicores,
      int memoryMib,
      String healthPath,
      long runAsUser,
      boolean readOnlyRootFilesystem) {
    this(
        ref,
        revision,
        image,
        digest,
        replicas,
        port,
        env,
        cpuMillicores,
        memoryMib,
        healthPath,
        runAsUser,
        readOnlyRootFilesystem,
        Map.of());
  }

  /** Secret values never show: only their names. */
  @Override
  public String toString() {
    return "AppSpec[ref=%s, revision=%d, image=%s, digest=%s, replicas=%d, port=%d, env=%s, cpu=%dm, memory=%dMi, healthPath=%s, user=%d, readOnlyRoot=%s, secrets=%s, processes=%s]"
        .formatted(
            ref,
            revision,
            image,
            digest,
            replicas,
            port,
            env,
            cpuMillicores,
            memoryMib,
            healthPath,
            runAsUser,
            readOnlyRootFilesystem,
            secrets.keySet(),
            processes);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** What the runtime pulls or runs: {@code image@digest} when the digest is known. */
  public String imageReference() {
    return imageReference(image, digest);
  }

  /** What runs for an image deployed by {@code image} and pinned to {@code digest} (null: none). */
  public static String imageReference(String image, String digest) {
    if (digest == null) {
      return image;
    }
    String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int slash = name.lastIndexOf('/');
    int colon = name.lastIndexOf(':');
    if (colon > slash) {
      name = name.substring(0, colon);
    }
    return name + "@" + digest;
  }

  /** The same spec as another revision with another replica count. */
  public AppSpec withReplicas(int newReplicas) {
    return new AppSpec(
        ref,
        revision,
        image,
        digest,
        newReplicas,
        port,
        env,
        cpuMillicores,
        memoryMib,
        healthPath,
        runAsUser,
        readOnlyRootFilesystem,
        secrets,
        processes);
  }

  /** The same spec whose web instances are checked at another path. */
  public AppSpec withHealthPath(String newHealthPath) {
    return new AppSpec(
        ref,
        revision,
        image,
        digest,
        replicas,
        port,
        env,
        cpuMillicores,
        memoryMib,
        newHealthPath,
        runAsUser,
        readOnlyRootFilesystem,
        secrets,
        processes);
  }

  /** The same spec with the app listening on another port. */
  public AppSpec withPort(int newPort) {
    return new AppSpec(
        ref,
        revision,
        image,
        digest,
        replicas,
        newPort,
        env,
        cpuMillicores,
        memoryMib,
        healthPath,
        runAsUser,
        readOnlyRootFilesystem,
        secrets,
        processes);
  }

  /** The same spec as a new revision, with this environment and these secrets. */
  public AppSpec asRevision(
      int newRevision, Map<String, String> newEnv, Map<String, String> newSecrets) {
    return new AppSpec(
        ref,
        newRevision,
        image,
        digest,
        replicas,
        port,
        newEnv,
        cpuMillicores,
        memoryMib,
        healthPath,
        runAsUser,
        readOnlyRootFilesystem,
        newSecrets,
        processes);
  }

  /** The same spec running these other process types. */
  public AppSpec withProcesses(Map<String, ProcessSpec> newProcesses) {
    return new AppSpec(
        ref,
        revision,
        image,
        digest,
        replicas,
        port,
        env,
        cpuMillicores,
        memoryMib,
        healthPath,
        runAsUser,
        readOnlyRootFilesystem,
        secrets,
        newProcesses);
  }

  /** The same spec with one process type run {@code count} times (it must be one of its types). */
  public AppSpec withCount(String type, int count) {
    ProcessSpec process = processes.get(type);
    require(process != null, "no process type '" + type + "'");
    SortedMap<String, ProcessSpec> scaled = new TreeMap<>(processes);
    scaled.put(type, process.withCount(count));
    return withProcesses(scaled);
  }

  /** Every instance the spec runs: its web replicas and every process type's count. */
  public int instances() {
    return replicas + processes.values().stream().mapToInt(ProcessSpec::count).sum();
  }
}
