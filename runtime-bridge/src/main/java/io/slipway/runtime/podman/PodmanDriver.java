package io.slipway.runtime.podman;

import io.slipway.runtime.driver.Instance;
import io.slipway.runtime.driver.LogSource;
import io.slipway.runtime.driver.RevisionState;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.render.Labels;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs apps as containers on Podman, one container per replica, one isolated network per project.
 * What runs is read back from podman itself (containers carry the ownership labels), so the driver
 * keeps no state of its own and a restarted bridge sees exactly what is there.
 */
public final class PodmanDriver implements RuntimeDriver, LogSource {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final PodmanCommands commands;
  private final PodmanRunner runner;
  private final String namePrefix;

  /**
   * Networks this driver saw exist: a deploy then skips asking podman again. Someone removing one
   * behind the driver's back makes {@code podman run} fail once; the network is then made again.
   */
  private final Set<String> knownNetworks = ConcurrentHashMap.newKeySet();

  public PodmanDriver(PodmanSettings settings, PodmanRunner runner) {
    this.commands = new PodmanCommands(settings);
    this.runner = runner;
    this.namePrefix = settings.namePrefix();
  }

  /** The commands this driver runs (tests use them to look behind its back). */
  public PodmanCommands commands() {
    return commands;
  }

  @Override
  public void apply(AppSpec spec) {
    AppRef ref = spec.ref();
    ensureNetwork(ref);
    Map<Integer, Container> present = new TreeMap<>();
    List<String> extra = new ArrayList<>();
    for (Container c : containers(ref)) {
      if (c.revision() != spec.revision()) {
        continue;
      }
      if (c.index() < spec.replicas()) {
        present.put(c.index(), c);
      } else {
        extra.add(c.name());
      }
    }
    for (int index = 0; index < spec.replicas(); index++) {
      Container c = present.get(index);
      if (c == null) {
        start(spec, index);
      } else if (!c.running()) {
        runner.run(commands.start(c.name()));
      }
    }
    if (!extra.isEmpty()) {
      runner.run(commands.remove(extra));
    }
  }

  /**
   * Runs every instance without listing the app first; falls back to {@link #apply} if one exists.
   */
  @Override
  public void applyNew(AppSpec spec) {
    ensureNetwork(spec.ref());
    try {
      for (int index = 0; index < spec.replicas(); index++) {
        start(spec, index);
      }
    } catch (PodmanRunner.PodmanException e) {
      if (!e.result().stderr().contains("already in use")) {
        throw e;
      }
      apply(spec);
    }
  }

  /**
   * Runs one instance. Secrets go through an env file only its owner can read, deleted as soon as
   * podman has read it, so their values never appear on a command line.
   */
  private void start(AppSpec spec, int index) {
    try {
      run(spec, index);
    } catch (PodmanRunner.PodmanException e) {
      String network = commands.networkName(spec.ref());
      if (!knownNetworks.remove(network)
          || runner.attempt(commands.networkExists(spec.ref())).succeeded()) {
        throw e;
      }
      // the network went away since the driver last saw it: make it again, and retry once
      ensureNetwork(spec.ref());
      runner.attempt(
          commands.remove(List.of(commands.containerName(spec.ref(), spec.revision(), index))));
      run(spec, index);
    }
  }

  private void run(AppSpec spec, int index) {
    if (spec.secrets().isEmpty()) {
      runner.run(commands.run(spec, index));
      return;
    }
    Path file = null;
    try {
      file =
          Files.createTempFile(
              "slipway-env-",
              ".env",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      StringBuilder lines = new StringBuilder();
      spec.secrets()
          .forEach((name, value) -> lines.append(name).append('=').append(value).append('\n'));
      Files.writeString(file, lines);
      runner.run(commands.run(spec, index, file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the secrets file", e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          file.toFile().deleteOnExit();
        }
      }
    }
  }

  private void ensureNetwork(AppRef ref) {
    String network = commands.networkName(ref);
    if (knownNetworks.contains(network)) {
      return;
    }
    if (!runner.attempt(commands.networkExists(ref)).succeeded()) {
      PodmanRunner.Result created = runner.attempt(commands.networkCreate(ref));
      // Another caller may have created it in between: that is as good.
      if (!created.succeeded() && !runner.attempt(commands.networkExists(ref)).succeeded()) {
        throw new PodmanRunner.PodmanException(created);
      }
    }
    knownNetworks.add(network);
  }

  @Override
  public void remove(AppRef ref, int revision) {
    List<String> names =
        containers(ref).stream()
            .filter(c -> c.revision() == revision)
            .map(Container::name)
            .toList();
    if (!names.isEmpty()) {
      runner.run(commands.remove(names));
    }
  }

  @Override
  public void removeApp(AppRef ref) {
    List<String> names = containers(ref).stream().map(Container::name).toList();
    if (!names.isEmpty()) {
      runner.run(commands.remove(names));
    }
  }

  /** Deletes the project's network; fails while containers still use it. */
  public void removeProjectNetwork(AppRef ref) {
    knownNetworks.remove(commands.networkName(ref));
    runner.attempt(commands.networkRemove(ref));
  }

  @Override
  public List<RevisionState> observe(AppRef ref) {
    return observe(ref, containers(ref));
  }

  /** Looks up the addresses of that revision's containers only. */
  @Override
  public Optional<RevisionState> observe(AppRef ref, int revision) {
    return observe(ref, containers(ref).stream().filter(c -> c.revision() == revision).toList())
        .stream()
        .findFirst();
  }

  /** The spec's instances by their names, without listing the app first. */
  @Override
  public Optional<RevisionState> observe(AppSpec spec) {
    AppRef ref = spec.ref();
    List<String> names = new ArrayList<>();
    for (int index = 0; index < spec.replicas(); index++) {
      names.add(commands.containerName(ref, spec.revision(), index));
    }
    Map<String, Inspected> inspected = inspect(ref, names);
    List<Instance> instances = new ArrayList<>();
    for (String name : names) {
      Inspected i = inspected.get(name);
      if (i != null) {
        instances.add(
            new Instance(
                name, i.running(), i.address(spec.port()), i.running() ? null : i.exitCode()));
      }
    }
    if (instances.isEmpty()) {
      return Optional.empty();
    }
    instances.sort(Comparator.comparing(Instance::name));
    return Optional.of(new RevisionState(spec.revision(), instances.size(), instances));
  }

  private List<RevisionState> observe(AppRef ref, List<Container> containers) {
    Map<String, Inspected> inspected =
        inspect(ref, containers.stream().filter(Container::running).map(Container::name).toList());
    Map<Integer, List<Instance>> byRevision = new TreeMap<>();
    for (Container c : containers) {
      Inspected i = inspected.get(c.name());
      String address = c.running() && i != null ? i.address(c.port()) : null;
      byRevision
          .computeIfAbsent(c.revision(), r -> new ArrayList<>())
          .add(new Instance(c.name(), c.running(), address, c.running() ? null : c.exitCode()));
    }
    return byRevision.entrySet().stream()
        .map(
            e ->
                new RevisionState(
                    e.getKey(),
                    e.getValue().size(),
                    e.getValue().stream().sorted(Comparator.comparing(Instance::name)).toList()))
        .toList();
  }

  /** What {@code podman inspect} says of one container; {@code ip} null when it has none. */
  private record Inspected(boolean running, int exitCode, String ip) {
    String address(int port) {
      return running && ip != null ? ip + ":" + port : null;
    }
  }

  /** The named containers that exist, by name: one podman call for them all. */
  private Map<String, Inspected> inspect(AppRef ref, List<String> names) {
    if (names.isEmpty()) {
      return Map.of();
    }
    Map<String, Inspected> found = new HashMap<>();
    for (String line :
        runner.attempt(commands.inspectInstances(ref, names)).stdout().lines().toList()) {
      String[] fields = line.split("\\|", -1);
      if (fields.length != 4 || !names.contains(fields[0])) {
        continue;
      }
      String ip = fields[3].strip();
      found.put(
          fields[0],
          new Inspected(
              "running".equals(fields[1]),
              Integer.parseInt(fields[2]),
              ip.isEmpty() || "<no value>".equals(ip) ? null : ip));
    }
    return found;
  }

  @Override
  public String lastLines(AppRef ref, int revision, int lines) {
    return containers(ref).stream()
        .filter(c -> c.revision() == revision)
        .min(Comparator.comparingInt(Container::index))
        .map(c -> runner.attempt(commands.logs(c.name(), lines)))
        .map(r -> (r.stdout() + r.stderr()).strip())
        .orElse("");
  }

  @Override
  public LogStream stream(
      AppRef ref, int revision, int tail, boolean follow, Consumer<String> sink) {
    List<Process> processes = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (Container c : containers(ref)) {
      if (c.revision() != revision) {
        continue;
      }
      List<String> command = new ArrayList<>();
      command.add("podman");
      command.addAll(commands.streamLogs(c.name(), tail, follow));
      try {
        Process process =
            new ProcessBuilder(command)
                .directory(new File(System.getProperty("java.io.tmpdir")))
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        processes.add(process);
        readers.add(Thread.ofVirtual().start(() -> pump(process, sink)));
      } catch (IOException e) {
        processes.forEach(Process::destroy);
        throw new UncheckedIOException("cannot run podman logs", e);
      }
    }
    return new LogStream() {
      @Override
      public void await() throws InterruptedException {
        for (Thread reader : readers) {
          reader.join();
        }
      }

      @Override
      public void close() {
        processes.forEach(Process::destroy);
      }
    };
  }

  private static void pump(Process process, Consumer<String> sink) {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        sink.accept(line);
      }
    } catch (IOException | RuntimeException e) {
      // the stream was closed, or the sink's client went away: stop reading
      process.destroy();
    }
  }

  @Override
  public Set<AppRef> apps() {
    Set<AppRef> apps = new HashSet<>();
    for (Container c : parse(runner.run(commands.listManaged()).stdout())) {
      apps.add(c.ref());
    }
    return apps;
  }

  private List<Container> containers(AppRef ref) {
    return parse(runner.run(commands.listApp(ref)).stdout()).stream()
        .filter(c -> c.ref().equals(ref))
        .toList();
  }

  /** Slipway's containers under this driver's name prefix, from {@code podman ps --format json}. */
  private List<Container> parse(String json) {
    try {
      List<Container> found = new ArrayList<>();
      for (JsonNode node : JSON.readTree(json.isBlank() ? "[]" : json)) {
        String name = node.path("Names").path(0).asString();
        JsonNode labels = node.path("Labels");
        if (!name.startsWith(namePrefix) || !labels.hasNonNull(Labels.REVISION)) {
          continue;
        }
        found.add(
            new Container(
                name,
                new AppRef(
                    labels.path(Labels.TENANT).asString(),
                    labels.path(Labels.PROJECT).asString(),
                    labels.path(Labels.APP).asString()),
                labels.path(Labels.REVISION).asInt(),
                labels.path(Labels.INSTANCE).asInt(),
                labels.path(Labels.PORT).asInt(),
                "running".equals(node.path("State").asString()),
                node.path("ExitCode").asInt()));
      }
      return found;
    } catch (JacksonException e) {
      throw new IllegalStateException("podman ps printed something that is not JSON", e);
    }
  }

  private record Container(
      String name, AppRef ref, int revision, int index, int port, boolean running, int exitCode) {}
}
