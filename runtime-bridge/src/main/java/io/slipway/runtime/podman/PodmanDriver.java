package io.slipway.runtime.podman;

import io.slipway.runtime.driver.Dozing;
import io.slipway.runtime.driver.ImageLabels;
import io.slipway.runtime.driver.ImagePorts;
import io.slipway.runtime.driver.Instance;
import io.slipway.runtime.driver.LogSource;
import io.slipway.runtime.driver.OneOffCommands;
import io.slipway.runtime.driver.OpenPorts;
import io.slipway.runtime.driver.Restarting;
import io.slipway.runtime.driver.RetiredImage;
import io.slipway.runtime.driver.RevisionState;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.ProcessSpec;
import io.slipway.runtime.model.ProcessTypes;
import io.slipway.runtime.render.Labels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Runs apps as containers on Podman, one container per replica, one isolated network per project,
 * through podman's REST API. What runs is read back from podman itself (containers carry the
 * ownership labels), so the driver keeps no state of its own and a restarted bridge sees exactly
 * what is there.
 */
public final class PodmanDriver
    implements RuntimeDriver,
        LogSource,
        OpenPorts,
        Restarting,
        ImagePorts,
        ImageLabels,
        OneOffCommands,
        Dozing {

  /** How long after its time a one-off run's container is left to the bridge that runs it. */
  private static final long RUN_GRACE_SECONDS = 60;

  static final Duration ORPHANED_SECRET_AGE = Duration.ofMinutes(10);

  private final PodmanRequests requests;
  private final PodmanApi api;
  private final String namePrefix;
  private final ProjectFirewall firewall;

  /**
   * Networks this driver saw exist: a deploy then skips asking podman again. Someone removing one
   * behind the driver's back makes a create fail once; the network is then made again.
   */
  private final Set<String> knownNetworks = ConcurrentHashMap.newKeySet();

  /** A driver whose project networks are not firewalled (egress open, the host reachable). */
  public PodmanDriver(PodmanSettings settings, PodmanApi api) {
    this(settings, api, null);
  }

  /**
   * A driver that closes every project network with the firewall before the first container starts
   * on it.
   */
  public PodmanDriver(PodmanSettings settings, PodmanApi api, ProjectFirewall firewall) {
    this.requests = new PodmanRequests(settings);
    this.api = api;
    this.namePrefix = settings.namePrefix();
    this.firewall = firewall;
  }

  /** The names and calls this driver uses (tests use them to look behind its back). */
  public PodmanRequests requests() {
    return requests;
  }

  @Override
  public void apply(AppSpec spec) {
    AppRef ref = spec.ref();
    ensureNetwork(ref);
    Map<Integer, Container> present = new TreeMap<>();
    List<String> extra = new ArrayList<>();
    Map<String, Map<Integer, Container>> processes = new TreeMap<>();
    long now = System.currentTimeMillis() / 1000;
    for (Container c : listed(ref)) {
      if (c.run() != null) {
        // a developer's one-off run: its bridge removes it, unless that bridge stopped mid-run
        if (c.runDeadline() < now) {
          extra.add(c.name());
        }
        continue;
      }
      if (c.revision() != spec.revision()) {
        continue;
      }
      if (c.process() == null && c.index() < spec.replicas()) {
        present.put(c.index(), c);
      } else if (c.process() != null && c.index() < count(spec, c.process())) {
        processes.computeIfAbsent(c.process(), type -> new TreeMap<>()).put(c.index(), c);
      } else {
        extra.add(c.name());
      }
    }
    for (int index = 0; index < spec.replicas(); index++) {
      int i = index;
      ensureRunning(spec, present.get(index), () -> requests.create(spec, i, imageCommand(spec)));
    }
    for (Map.Entry<String, ProcessSpec> type : spec.processes().entrySet()) {
      Map<Integer, Container> running = processes.getOrDefault(type.getKey(), Map.of());
      for (int index = 0; index < type.getValue().count(); index++) {
        int i = index;
        ensureRunning(spec, running.get(index), () -> requests.create(spec, type.getKey(), i));
      }
    }
    remove(extra);
  }

  /** How many instances of the process type the spec runs; 0 for a type it does not have. */
  private static int count(AppSpec spec, String type) {
    ProcessSpec process = spec.processes().get(type);
    return process == null ? 0 : process.count();
  }

  /**
   * Creates the instance when it is missing, starts it when it has exited, resumes it if paused.
   */
  private void ensureRunning(AppSpec spec, Container c, Supplier<Map<String, Object>> body) {
    if (c == null) {
      start(spec, body.get());
    } else if (c.paused()) {
      api.require("POST", requests.unpause(c.name()), null);
    } else if (!c.running()) {
      api.require("POST", requests.start(c.name()), null);
    }
  }

  /**
   * Runs every instance without listing the app first; falls back to {@link #apply} if one exists.
   */
  @Override
  public void applyNew(AppSpec spec) {
    ensureNetwork(spec.ref());
    try {
      List<String> imageCommand = imageCommand(spec);
      for (int index = 0; index < spec.replicas(); index++) {
        start(spec, requests.create(spec, index, imageCommand));
      }
      for (Map.Entry<String, ProcessSpec> type : spec.processes().entrySet()) {
        for (int index = 0; index < type.getValue().count(); index++) {
          start(spec, requests.create(spec, type.getKey(), index));
        }
      }
    } catch (PodmanApi.PodmanApiException e) {
      if (!e.reason().contains("already in use")) {
        throw e;
      }
      apply(spec);
    }
  }

  /**
   * Creates the project's network when missing, starts the one-off container (a leftover of the
   * same name, from a bridge that died while it ran, is removed first) and waits for it.
   */
  @Override
  public OneOffResult runOnce(AppSpec spec, String phase, String command, Duration timeout) {
    ensureNetwork(spec.ref());
    Map<String, Object> body = requests.createOneOff(spec, phase, command);
    String name = (String) body.get("name");
    api.delete("/containers/" + name + "?force=true&timeout=0");
    removeSecrets(name);
    start(spec, body);
    return new OneOffContainer(api, requests).await(name, timeout);
  }

  /**
   * As {@link #runOnce}: overdue a minute after its {@code timeout} (the time to read its output
   * and remove it), and killed by podman half a minute after it should nobody be left to.
   */
  @Override
  public OneOffResult run(
      AppSpec spec, String runId, String command, Duration timeout, int outputLines) {
    ensureNetwork(spec.ref());
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    long deadline = System.currentTimeMillis() / 1000 + seconds + RUN_GRACE_SECONDS;
    Map<String, Object> body =
        requests.createRun(spec, runId, command, deadline, seconds + RUN_GRACE_SECONDS / 2);
    start(spec, body);
    return new OneOffContainer(api, requests)
        .await((String) body.get("name"), timeout, outputLines);
  }

  /**
   * What the image runs ({@code Config.Entrypoint} then {@code Config.Cmd}), which an instance with
   * secrets runs after loading them; nothing (no image lookup) when the spec has no secrets.
   */
  private List<String> imageCommand(AppSpec spec) {
    if (spec.secrets().isEmpty()) {
      return List.of();
    }
    JsonNode config = inspectImage(spec.imageReference()).path("Config");
    List<String> command = new ArrayList<>();
    config.path("Entrypoint").forEach(word -> command.add(word.asString()));
    config.path("Cmd").forEach(word -> command.add(word.asString()));
    return command;
  }

  /**
   * Creates and starts one instance of the spec, from its create {@code body}; first the podman
   * secret holding the instance's secrets, when it has any (replacing one a crashed bridge left).
   */
  private void start(AppSpec spec, Map<String, Object> body) {
    if (PodmanRequests.fromRegistry(spec.imageReference())) {
      claim(spec.ref(), spec.imageReference());
    }
    if (body.containsKey("secrets")) {
      String name = (String) body.get("name");
      removeSecrets(name);
      api.require(
          "POST", PodmanRequests.secretCreate(name), PodmanRequests.secretsFile(spec, body));
    }
    String name = (String) body.get("name");
    if (body.containsKey("pod")) {
      makePod(spec.ref(), name);
    }
    PodmanApi.Response created = api.post("/containers/create", body);
    if (networkWentAway(spec.ref(), created)) {
      created = api.post("/containers/create", body);
    }
    if (!created.ok()) {
      throw PodmanApi.refused("POST", "/containers/create", created);
    }
    api.require("POST", requests.start(name), null);
  }

  /**
   * Makes the pod of the web instance {@code container}; one made for an earlier create is kept.
   */
  private void makePod(AppRef ref, String container) {
    Map<String, Object> pod = requests.podCreate(ref, requests.podName(container));
    PodmanApi.Response made = api.post("/pods/create", pod);
    if (networkWentAway(ref, made)) {
      // podman 4.3 keeps a pod whose infra container it could not make: gone before the retry
      api.delete(requests.podRemove(container));
      made = api.post("/pods/create", pod);
    }
    if (!made.ok() && made.status() != 409) {
      throw PodmanApi.refused("POST", "/pods/create", made);
    }
  }

  /**
   * Whether a create failed because the project's network went away since the driver last saw it;
   * then it has been made again, and the create may be tried once more.
   */
  private boolean networkWentAway(AppRef ref, PodmanApi.Response created) {
    if (created.ok()
        || !PodmanApi.reason(created).contains("network not found")
        || !knownNetworks.remove(requests.networkName(ref))) {
      return false;
    }
    ensureNetwork(ref);
    return true;
  }

  /**
   * Records that the app runs the image {@code reference} (a tag in its claim repository), pulling
   * the image first when the store does not have it; an image pulled here is also tagged as pulled,
   * which is what lets {@link #releaseImages} delete it again.
   */
  private void claim(AppRef ref, String reference) {
    String tag = PodmanRequests.claimTag(reference);
    String claim = PodmanRequests.tag(reference, requests.claimRepository(ref.appId()), tag);
    PodmanApi.Response claimed = api.post(claim, null);
    if (claimed.status() == 404) {
      pullAsOwn(reference);
      claimed = api.post(claim, null);
    }
    if (!claimed.ok()) {
      throw PodmanApi.refused("POST", claim, claimed);
    }
  }

  /**
   * Pulls the image and tags it as pulled by this bridge, which is what lets {@link #releaseImages}
   * delete it again.
   */
  private void pullAsOwn(String reference) {
    pull(reference);
    api.require(
        "POST",
        PodmanRequests.tag(
            reference, requests.pulledRepository(), PodmanRequests.claimTag(reference)),
        null);
  }

  /**
   * The {@code Config.ExposedPorts} of the image ({@code {"3000/tcp": {}}}), pulling an image from
   * a registry the store does not have yet (as its own, as {@link #claim} would).
   */
  @Override
  public SortedSet<Integer> exposed(String imageReference) {
    return ExposedPorts.of(inspectImage(imageReference).path("Config"));
  }

  /** The {@code Config.Labels} of the image, pulling it as {@link #exposed} does. */
  @Override
  public Map<String, String> labels(String imageReference) {
    return strings(inspectImage(imageReference).path("Config").path("Labels"));
  }

  private JsonNode inspectImage(String imageReference) {
    String path = PodmanRequests.image(imageReference);
    PodmanApi.Response inspected = api.get(path);
    if (inspected.status() == 404 && PodmanRequests.fromRegistry(imageReference)) {
      pullAsOwn(imageReference);
      inspected = api.get(path);
    }
    if (!inspected.ok()) {
      throw PodmanApi.refused("GET", path, inspected);
    }
    return inspected.json();
  }

  /** Pulls the image; podman answers 200 and says in its stream of progress lines if it failed. */
  private void pull(String reference) {
    String path = PodmanRequests.pull(reference);
    PodmanApi.Response pulled = api.require("POST", path, null);
    String body = new String(pulled.body(), StandardCharsets.UTF_8);
    for (String line : body.lines().toList()) {
      JsonNode progress = PodmanApi.parse(line);
      if (progress.hasNonNull("error")) {
        throw new PodmanApi.PodmanApiException(
            "POST /images/pull", pulled.status(), progress.path("error").asString());
      }
    }
  }

  /**
   * Takes the app's claims off the images it ran from a registry; an image this bridge pulled that
   * no other app claims and no container of the host (anyone's) was made from is deleted with its
   * names. An image in use when it is deleted stays (podman refuses, nothing is forced).
   */
  @Override
  public void releaseImages(AppRef ref) {
    String repository = requests.claimRepository(ref.appId());
    for (JsonNode image : api.require("GET", PodmanRequests.listImages(repository), null).json()) {
      String id = image.path("Id").asString();
      List<String> names = new ArrayList<>();
      image.path("Names").forEach(name -> names.add(name.asString()));
      for (String name : names) {
        if (name.startsWith(repository + ":")) {
          String tag = name.substring(repository.length() + 1);
          PodmanApi.Response untagged = api.post(PodmanRequests.untag(id, repository, tag), null);
          if (!untagged.ok() && untagged.status() != 404) {
            throw PodmanApi.refused("POST", PodmanRequests.untag(id, repository, tag), untagged);
          }
        }
      }
      deleteUnclaimed(id, names, repository);
    }
  }

  /**
   * Deletes the image (with its names but those in the claim {@code repository}, just taken off)
   * when this bridge pulled it, no app but the one of {@code repository} claims it and no container
   * was made from it.
   */
  private void deleteUnclaimed(String id, List<String> names, String repository) {
    String claims = "localhost/" + namePrefix + "images/";
    boolean claimedByOthers =
        names.stream().anyMatch(n -> n.startsWith(claims) && !n.startsWith(repository + ":"));
    boolean pulledHere =
        names.stream().anyMatch(n -> n.startsWith(requests.pulledRepository() + ":"));
    if (pulledHere && !claimedByOthers && !used(id)) {
      removeImage(id, names.stream().filter(n -> !n.startsWith(repository + ":")).toList());
    }
  }

  /**
   * As the SPI says. An image from a registry loses the app's claim and goes as {@link
   * #releaseImages} deletes one, yet stays where rollback finds it (its registry): {@code KEPT}. A
   * local image is the tenant's by its names under {@code tenantBuilds}: those go one by one, then
   * the image itself once nameless; it counts as removed once none of the tenant's names is left
   * (another name, not the tenant's, keeps the image for its owner).
   */
  @Override
  public RetiredImage.Removal removeImage(RetiredImage image) {
    String reference = image.reference();
    boolean registry = PodmanRequests.fromRegistry(reference);
    if (!registry && !reference.startsWith(image.tenantBuilds())) {
      return RetiredImage.Removal.KEPT;
    }
    PodmanApi.Response inspected = api.get(PodmanRequests.image(reference));
    if (inspected.status() == 404) {
      return registry ? RetiredImage.Removal.KEPT : RetiredImage.Removal.REMOVED;
    }
    if (!inspected.ok()) {
      throw PodmanApi.refused("GET", PodmanRequests.image(reference), inspected);
    }
    String id = inspected.json().path("Id").asString();
    List<String> names = new ArrayList<>();
    inspected.json().path("RepoTags").forEach(name -> names.add(name.asString()));
    if (registry) {
      String repository = requests.claimRepository(image.app().appId());
      String tag = PodmanRequests.claimTag(reference);
      PodmanApi.Response untagged = api.post(PodmanRequests.untag(id, repository, tag), null);
      if (!untagged.ok() && untagged.status() != 404) {
        throw PodmanApi.refused("POST", PodmanRequests.untag(id, repository, tag), untagged);
      }
      deleteUnclaimed(id, names, repository);
      return RetiredImage.Removal.KEPT;
    }
    if (used(id)) {
      return RetiredImage.Removal.IN_USE;
    }
    List<String> own = names.stream().filter(n -> n.startsWith(image.tenantBuilds())).toList();
    // found by digest it may carry no name of the tenant's at all: then nothing of it is theirs
    if (!own.isEmpty() && own.size() == names.size()) {
      removeImage(id, own);
    } else {
      own.forEach(name -> removeName(name));
    }
    // podman finds an image by digest under any of its names: what counts is the tenant's names
    PodmanApi.Response left = api.get(PodmanRequests.image(id));
    boolean named =
        left.ok()
            && left.json()
                .path("RepoTags")
                .valueStream()
                .anyMatch(n -> n.asString().startsWith(image.tenantBuilds()));
    return named ? RetiredImage.Removal.IN_USE : RetiredImage.Removal.REMOVED;
  }

  /** Deletes one name of an image; false when a container made from it meanwhile keeps it. */
  private boolean removeName(String name) {
    PodmanApi.Response removed = api.delete(PodmanRequests.removeImage(name));
    if (removed.status() == 409) {
      return false;
    }
    if (!removed.ok() && removed.status() != 404) {
      throw PodmanApi.refused("DELETE", PodmanRequests.removeImage(name), removed);
    }
    return true;
  }

  private boolean used(String imageId) {
    return !api.require("GET", PodmanRequests.listUsing(imageId), null).json().isEmpty();
  }

  /**
   * Deletes the image's names one by one, then the image: deleting an image by id needs force while
   * it has several names, and force would also delete containers made from it meanwhile.
   */
  private void removeImage(String id, List<String> names) {
    List<String> doomed = new ArrayList<>(names);
    doomed.add(id);
    for (String name : doomed) {
      if (!removeName(name)) {
        return; // a container was made from it meanwhile: it stays
      }
    }
  }

  /**
   * Makes the app's project network when it is missing, and guards it with the project's firewall;
   * also used for what runs beside apps on the same network (the project's VMs).
   */
  public void ensureNetwork(AppRef ref) {
    String network = requests.networkName(ref);
    if (knownNetworks.contains(network)) {
      return;
    }
    if (!api.get(requests.networkExists(ref)).ok()) {
      PodmanApi.Response created = api.post("/networks/create", requests.networkCreate(ref));
      // Another caller may have created it in between: that is as good.
      if (!created.ok() && !api.get(requests.networkExists(ref)).ok()) {
        throw PodmanApi.refused("POST", "/networks/create", created);
      }
    }
    if (firewall != null) {
      // closed before any container of the project starts on it; a failure keeps it unknown, so
      // the next deploy tries again rather than starting anything on an open network
      firewall.guard(ref.projectId(), bridge(network).orElseThrow());
    }
    knownNetworks.add(network);
  }

  /** The host's view of a network, if it exists. */
  private Optional<ProjectBridge> bridge(String network) {
    PodmanApi.Response response = api.get(requests.networkInspect(network));
    if (response.status() == 404) {
      return Optional.empty();
    }
    if (!response.ok()) {
      throw PodmanApi.refused("GET", requests.networkInspect(network), response);
    }
    JsonNode json = response.json();
    List<String> gateways = new ArrayList<>();
    for (JsonNode subnet : json.path("subnets")) {
      String gateway = subnet.path("gateway").asString("");
      if (!gateway.isEmpty()) {
        gateways.add(gateway);
      }
    }
    return Optional.of(
        new ProjectBridge(
            json.path("network_interface").asString(),
            gateways,
            json.path("dns_enabled").asBoolean(false)));
  }

  /**
   * Guards exactly the networks of these projects that exist (the projects the bridge holds apps
   * of), each with its project's egress setting as it is now.
   */
  @Override
  public void secureNetworks(Set<String> projectIds) {
    if (firewall == null) {
      return;
    }
    Map<String, ProjectBridge> bridges = new HashMap<>();
    for (String projectId : projectIds) {
      bridge(requests.networkName(projectId)).ifPresent(b -> bridges.put(projectId, b));
    }
    firewall.rebuild(bridges);
  }

  @Override
  public void egressChanged(String projectId) {
    if (firewall != null) {
      firewall.refresh();
    }
  }

  private void released(String network) {
    if (firewall != null && network.startsWith(namePrefix)) {
      firewall.release(network.substring(namePrefix.length()));
    }
  }

  /** Stops the revision's running containers side by side; {@link #apply} starts them again. */
  @Override
  public void stopInstances(AppRef ref, int revision) {
    List<Container> up =
        containers(ref).stream()
            .filter(c -> c.revision() == revision && (c.running() || c.paused()))
            .toList();
    Set<String> paused =
        up.stream().filter(Container::paused).map(Container::name).collect(Collectors.toSet());
    atOnce(
        up.stream().map(Container::name).toList(),
        name -> {
          // podman 4.3 refuses to stop a paused container and leaves it paused
          if (paused.contains(name)) {
            call(requests.unpause(name));
          }
          call(requests.stop(name));
        });
  }

  @Override
  public void pauseInstances(AppRef ref, int revision) {
    atOnce(
        containers(ref).stream()
            .filter(c -> c.revision() == revision && c.running())
            .map(Container::name)
            .toList(),
        name -> call(requests.pause(name)));
  }

  @Override
  public boolean resumeInstances(AppRef ref, int revision) {
    List<Container> instances =
        containers(ref).stream().filter(c -> c.revision() == revision).toList();
    atOnce(
        instances.stream().filter(Container::paused).map(Container::name).toList(),
        name -> call(requests.unpause(name)));
    return !instances.isEmpty() && instances.stream().allMatch(c -> c.running() || c.paused());
  }

  /** A POST that changes a container's state; a container gone meanwhile is no failure. */
  private void call(String path) {
    PodmanApi.Response response = api.post(path, null);
    if (!response.ok() && response.status() != 404) {
      throw PodmanApi.refused("POST", path, response);
    }
  }

  /** Only a container of this driver's own (its name prefix) is restarted. */
  @Override
  public void restart(String instance) {
    if (!instance.startsWith(namePrefix)) {
      throw new IllegalArgumentException(instance + " is not an instance of this platform");
    }
    PodmanApi.Response restarted = api.post(requests.restart(instance), null);
    if (!restarted.ok() && restarted.status() != 404) {
      throw PodmanApi.refused("POST", requests.restart(instance), restarted);
    }
  }

  /** libpod's {@code NetInput} of each running web container of the revision, summed. */
  @Override
  public OptionalLong received(AppRef ref, int revision) {
    List<String> web =
        containers(ref).stream()
            .filter(c -> c.revision() == revision && c.process() == null && c.running())
            .map(Container::name)
            .toList();
    if (web.isEmpty()) {
      return OptionalLong.empty();
    }
    JsonNode stats = api.require("GET", requests.stats(web), null).json().path("Stats");
    long sum = 0;
    for (JsonNode one : stats) {
      sum += one.path("NetInput").asLong();
    }
    return OptionalLong.of(sum);
  }

  @Override
  public void remove(AppRef ref, int revision) {
    List<String> names =
        containers(ref).stream()
            .filter(c -> c.revision() == revision)
            .map(Container::name)
            .toList();
    remove(names);
  }

  @Override
  public void removeApp(AppRef ref) {
    remove(listed(ref).stream().map(Container::name).toList());
    // and the pods whose instance was removed behind the driver's back: nothing else finds them
    for (JsonNode pod : api.require("GET", requests.listAppPods(ref), null).json()) {
      String path = requests.podDelete(pod.path("Name").asString());
      PodmanApi.Response removed = api.delete(path);
      if (!removed.ok() && removed.status() != 404) {
        throw PodmanApi.refused("DELETE", path, removed);
      }
    }
  }

  /**
   * Stops and deletes the containers side by side (each may take the stop timeout); the ones
   * already gone are ignored.
   */
  private void remove(List<String> names) {
    if (names.size() == 1) {
      removeOne(names.getFirst());
      return;
    }
    atOnce(names, this::removeOne);
  }

  /** Does {@code action} to every container side by side, each on a thread of its own. */
  private static void atOnce(List<String> names, Consumer<String> action) {
    try (var each = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (String name : names) {
        done.add(each.submit(() -> action.accept(name)));
      }
      for (Future<?> one : done) {
        one.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while working on containers", e);
    }
  }

  private void removeOne(String name) {
    PodmanApi.Response removed = api.delete(requests.remove(name));
    if (!removed.ok() && removed.status() != 404) {
      throw PodmanApi.refused("DELETE", requests.remove(name), removed);
    }
    // a web instance's pod goes with it (other containers have none: 404)
    PodmanApi.Response pod = api.delete(requests.podRemove(name));
    if (!pod.ok() && pod.status() != 404) {
      throw PodmanApi.refused("DELETE", requests.podRemove(name), pod);
    }
    removeSecrets(name);
  }

  /** Deletes the podman secret of the container {@code name}, if it has one. */
  void removeSecrets(String name) {
    PodmanApi.Response removed = api.delete(PodmanRequests.secretRemove(name));
    if (!removed.ok() && removed.status() != 404) {
      throw PodmanApi.refused("DELETE", PodmanRequests.secretRemove(name), removed);
    }
  }

  /**
   * Deletes the secrets under this driver's prefix that no container has any more and that are
   * older than {@link #ORPHANED_SECRET_AGE} (younger ones may belong to a container being created):
   * what a bridge that died between removing a container and its secret left behind.
   */
  private void removeOrphanedSecrets(Set<String> containers) {
    removeOrphanedSecrets(containers, Instant.now().minus(ORPHANED_SECRET_AGE));
  }

  /** As above, for the secrets made before {@code before}; what it removed. */
  List<String> removeOrphanedSecrets(Set<String> containers, Instant before) {
    List<String> removed = new ArrayList<>();
    for (JsonNode secret : api.require("GET", PodmanRequests.listSecrets(), null).json()) {
      String name = secret.path("Spec").path("Name").asString();
      if (name.startsWith(namePrefix)
          && !containers.contains(name)
          && created(secret).isBefore(before)) {
        removeSecrets(name);
        removed.add(name);
      }
    }
    return removed;
  }

  private static Instant created(JsonNode secret) {
    try {
      return OffsetDateTime.parse(secret.path("CreatedAt").asString()).toInstant();
    } catch (DateTimeParseException e) {
      return Instant.MAX; // unreadable: kept
    }
  }

  /** Deletes the project's network and whatever still uses it. */
  public void removeProjectNetwork(AppRef ref) {
    knownNetworks.remove(requests.networkName(ref));
    api.delete(requests.networkRemove(ref));
    released(requests.networkName(ref));
  }

  @Override
  public void removeProject(String projectId) {
    removeNetwork(requests.networkName(projectId));
  }

  @Override
  public void removeTenant(String tenantId) {
    for (JsonNode network :
        api.require("GET", requests.listTenantNetworks(tenantId), null).json()) {
      String name = network.path("name").asString();
      if (name.startsWith(namePrefix)) {
        removeNetwork(name);
      }
    }
  }

  private void removeNetwork(String network) {
    knownNetworks.remove(network);
    PodmanApi.Response removed = api.delete(requests.networkRemove(network));
    if (!removed.ok() && removed.status() != 404) {
      throw PodmanApi.refused("DELETE", requests.networkRemove(network), removed);
    }
    released(network);
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
      names.add(requests.containerName(ref, spec.revision(), index));
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
        inspect(
            ref,
            containers.stream()
                .filter(c -> c.running() && c.process() == null)
                .map(Container::name)
                .toList());
    Map<Integer, List<Instance>> byRevision = new TreeMap<>();
    Map<Integer, Map<String, List<Instance>>> processes = new TreeMap<>();
    for (Container c : containers) {
      Inspected i = inspected.get(c.name());
      byRevision.computeIfAbsent(c.revision(), r -> new ArrayList<>());
      if (c.process() != null) {
        processes
            .computeIfAbsent(c.revision(), r -> new TreeMap<>())
            .computeIfAbsent(c.process(), type -> new ArrayList<>())
            .add(new Instance(c.name(), c.running(), null, c.running() ? null : c.exitCode()));
        continue;
      }
      String address = c.running() && i != null ? i.address(c.port()) : null;
      byRevision
          .get(c.revision())
          .add(new Instance(c.name(), c.running(), address, c.running() ? null : c.exitCode()));
    }
    Comparator<Instance> byName = Comparator.comparing(Instance::name);
    return byRevision.entrySet().stream()
        .map(
            e ->
                new RevisionState(
                    e.getKey(),
                    e.getValue().size(),
                    e.getValue().stream().sorted(byName).toList(),
                    processes.getOrDefault(e.getKey(), Map.of())))
        .toList();
  }

  /** What podman says of one container; {@code ip} null when it has none. */
  private record Inspected(boolean running, int exitCode, String ip) {
    String address(int port) {
      return running && ip != null ? ip + ":" + port : null;
    }
  }

  /** The named containers that exist, by name. */
  private Map<String, Inspected> inspect(AppRef ref, List<String> names) {
    String network = requests.networkName(ref);
    Map<String, Inspected> found = new HashMap<>();
    for (String name : names) {
      PodmanApi.Response response = api.inspect(requests.inspect(name));
      if (response.status() == 404) {
        continue;
      }
      if (!response.ok()) {
        throw PodmanApi.refused("GET", requests.inspect(name), response);
      }
      JsonNode container = response.json();
      JsonNode state = container.path("State");
      String ip =
          container
              .path("NetworkSettings")
              .path("Networks")
              .path(network)
              .path("IPAddress")
              .asString("");
      found.put(
          name,
          new Inspected(
              "running".equals(state.path("Status").asString()),
              state.path("ExitCode").asInt(),
              ip.isEmpty() ? null : ip));
    }
    return found;
  }

  /**
   * Read from the kernel's socket tables of the container's network namespace, through its first
   * process ({@code /proc/<pid>/net/tcp}): the bridge runs on podman's host.
   */
  @Override
  public Optional<SortedSet<Integer>> listening(String instance) {
    PodmanApi.Response response = api.inspect(requests.inspect(instance));
    long pid = response.ok() ? response.json().path("State").path("Pid").asLong(0) : 0;
    if (pid <= 0) {
      return Optional.empty();
    }
    StringBuilder tables = new StringBuilder();
    Path net = Path.of("/proc", Long.toString(pid), "net");
    try {
      tables.append(Files.readString(net.resolve("tcp")));
      if (Files.exists(net.resolve("tcp6"))) { // not there when the kernel has no IPv6
        tables.append(Files.readString(net.resolve("tcp6")));
      }
    } catch (IOException e) {
      return Optional.empty(); // exited meanwhile, or not visible from here
    }
    return Optional.of(ListeningPorts.parse(tables.toString()));
  }

  @Override
  public String lastLines(AppRef ref, int revision, int lines) {
    return containers(ref).stream()
        .filter(c -> c.revision() == revision && c.process() == null)
        .min(Comparator.comparingInt(Container::index))
        .map(
            c -> {
              try (InputStream frames = api.open(requests.logs(c.name(), lines, false))) {
                return new String(new LogFrames(frames).readAllBytes(), StandardCharsets.UTF_8)
                    .strip();
              } catch (IOException | RuntimeException e) {
                return "";
              }
            })
        .orElse("");
  }

  @Override
  public LogStream stream(
      AppRef ref, int revision, String type, int tail, boolean follow, Consumer<String> sink) {
    String process = ProcessTypes.WEB.equals(type) ? null : type;
    List<InputStream> streams = new CopyOnWriteArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (Container c : containers(ref)) {
      if (c.revision() != revision || !Objects.equals(c.process(), process)) {
        continue;
      }
      // Opened by the reader itself: podman answers a follow of a quiet container only with its
      // first line, and the caller must not wait for that.
      readers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    InputStream stream;
                    try {
                      stream = api.open(requests.logs(c.name(), tail, follow));
                    } catch (RuntimeException e) {
                      // closed while opening, or the instance went away: nothing more to read
                      return;
                    }
                    streams.add(stream);
                    if (Thread.currentThread().isInterrupted()) {
                      closeQuietly(stream);
                      return;
                    }
                    pump(stream, sink);
                  }));
    }
    return pumping(streams, readers);
  }

  /**
   * Attaches only to a container that has started: podman's follow of one merely created may end at
   * once, and its caller would take that for the run's end.
   */
  @Override
  public Optional<LogStream> followRun(
      AppRef ref, int revision, String runId, Consumer<String> sink) {
    String name = requests.runName(ref, revision, runId);
    PodmanApi.Response inspected = api.inspect(requests.inspect(name));
    if (inspected.status() == 404) {
      return Optional.empty();
    }
    if (!inspected.ok()) {
      throw PodmanApi.refused("GET", requests.inspect(name), inspected);
    }
    String status = inspected.json().path("State").path("Status").asString();
    if (!"running".equals(status) && !"exited".equals(status) && !"stopped".equals(status)) {
      return Optional.empty();
    }
    InputStream stream;
    try {
      stream = api.open(requests.output(name));
    } catch (RuntimeException e) {
      return Optional.empty(); // removed between the two calls: its run has ended
    }
    return Optional.of(
        pumping(List.of(stream), List.of(Thread.ofVirtual().start(() -> pump(stream, sink)))));
  }

  /** The stream of {@code readers}, each pumping one of {@code streams}. */
  private static LogStream pumping(List<InputStream> streams, List<Thread> readers) {
    return new LogStream() {
      @Override
      public void await() throws InterruptedException {
        for (Thread reader : readers) {
          reader.join();
        }
      }

      @Override
      public void close() {
        // a reader still opening its stream is interrupted, which closes its channel
        readers.forEach(Thread::interrupt);
        streams.forEach(PodmanDriver::closeQuietly);
      }
    };
  }

  private static void pump(InputStream stream, Consumer<String> sink) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(new LogFrames(stream), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        sink.accept(line);
      }
    } catch (IOException | RuntimeException e) {
      // the stream was closed, or the sink's client went away: stop reading
      closeQuietly(stream);
    }
  }

  private static void closeQuietly(InputStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // nothing left to do with it
    }
  }

  /** The apps that have containers; on the way, removes secrets no container has any more. */
  @Override
  public Set<AppRef> apps() {
    Set<AppRef> apps = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (Container c : parse(api.require("GET", requests.listManaged(), null).json())) {
      apps.add(c.ref());
      names.add(c.name());
    }
    removeOrphanedSecrets(names);
    return apps;
  }

  /** The app's instances and one-off containers: everything but its developers' runs. */
  private List<Container> containers(AppRef ref) {
    return listed(ref).stream().filter(c -> c.run() == null).toList();
  }

  /** Every container of the app, runs too. */
  private List<Container> listed(AppRef ref) {
    return parse(api.require("GET", requests.listApp(ref), null).json()).stream()
        .filter(c -> c.ref().appId().equals(ref.appId()))
        .toList();
  }

  /** Slipway's containers under this driver's name prefix, from a list of containers. */
  private List<Container> parse(JsonNode list) {
    List<Container> found = new ArrayList<>();
    for (JsonNode node : list) {
      String name = node.path("Names").path(0).asString();
      JsonNode labels = node.path("Labels");
      Optional<AppRef> owner = Labels.owner(strings(labels));
      if (!name.startsWith(namePrefix) || !labels.hasNonNull(Labels.REVISION) || owner.isEmpty()) {
        continue;
      }
      found.add(
          new Container(
              name,
              owner.get(),
              labels.path(Labels.REVISION).asInt(),
              labels.path(Labels.INSTANCE).asInt(),
              labels.path(Labels.PORT).asInt(),
              labels.hasNonNull(Labels.PROCESS) ? labels.path(Labels.PROCESS).asString() : null,
              "running".equals(node.path("State").asString()),
              "paused".equals(node.path("State").asString()),
              node.path("ExitCode").asInt(),
              labels.hasNonNull(Labels.RUN) ? labels.path(Labels.RUN).asString() : null,
              labels.path(Labels.RUN_DEADLINE).asLong(0)));
    }
    return found;
  }

  private static Map<String, String> strings(JsonNode labels) {
    Map<String, String> map = new HashMap<>();
    labels.properties().forEach(e -> map.put(e.getKey(), e.getValue().asString()));
    return map;
  }

  /**
   * One of the app's containers; {@code process} is its process type, null for web; {@code run} the
   * id of a developer's one-off run, overdue after {@code runDeadline} (epoch seconds).
   */
  private record Container(
      String name,
      AppRef ref,
      int revision,
      int index,
      int port,
      String process,
      boolean running,
      boolean paused,
      int exitCode,
      String run,
      long runDeadline) {}
}
