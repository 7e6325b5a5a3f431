package io.slipway.runtime.vm;

import io.slipway.runtime.admission.VmImages;
import io.slipway.runtime.driver.OneOffCommands.OneOffResult;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.OneOffContainer;
import io.slipway.runtime.podman.PodmanApi;
import io.slipway.runtime.podman.PodmanDriver;
import io.slipway.runtime.podman.PodmanRequests;
import io.slipway.runtime.podman.PodmanSettings;
import io.slipway.runtime.render.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Virtual machines on the podman driver (docs/vms.md): each VM is QEMU in a hardened container of
 * the runner image, on its project's network, its disk an overlay on its containerDisk image in a
 * volume of its own. Calls are synchronous and made through podman's REST API; QEMU is spoken to
 * over its QMP socket, which lives in the VM's volume on this host.
 */
public final class PodmanVms implements VmRuntime {

  /** What the guest's init says on the serial console once its seed is applied. */
  static final String READY = "SLIPWAY-VM-READY";

  /** How much of the console log the ready line is looked for in. */
  private static final int READY_WITHIN_BYTES = 1024 * 1024;

  private static final long MIB = 1024 * 1024;

  /** How long checking an image may take: {@code qemu-img info} reads only the disk's header. */
  private static final Duration CHECK = Duration.ofSeconds(60);

  private static final Pattern READY_UPTIME = Pattern.compile(READY + " uptime=([0-9.]+)s");

  private final PodmanApi api;
  private final PodmanDriver driver;
  private final VmSettings settings;
  private final VmRequests requests;
  private final PodmanSettings podman;

  /** The open console connection of each VM that has console sessions, by app id. */
  private final ConcurrentMap<String, VmConsole> consoles = new ConcurrentHashMap<>();

  public PodmanVms(PodmanApi api, PodmanDriver driver, PodmanSettings podman, VmSettings settings) {
    this.api = api;
    this.driver = driver;
    this.settings = settings;
    this.requests = new VmRequests(podman, settings);
    this.podman = podman;
  }

  /**
   * Starts the VM: makes its volume and container when it has none, then starts the container.
   * Idempotent: a running VM is left as it is. A stopped VM starts again with the disk overlay it
   * had (the spec of its first start; a changed spec needs a {@link #delete} first).
   *
   * @throws io.slipway.runtime.admission.ImageRefusedException when the image is neither the
   *     platform's VM image nor one built for the VM's tenant
   */
  @Override
  public void start(VmSpec spec, OptionalInt httpPort) {
    start(spec);
  }

  /**
   * {@link #start(VmSpec, OptionalInt)} without an HTTP port: Caddy reaches the VM at its
   * container's address, so podman needs none.
   */
  public void start(VmSpec spec) {
    AppRef ref = spec.ref();
    // before anything is made or looked up: the refusal is the same whether the image exists or not
    VmImages.admit(
        ref.tenantId(), settings.buildImagePrefix(), settings.imagePrefix(), spec.image());
    driver.ensureNetwork(ref);
    ensureVolume(requests.volumeInspect(ref), requests.volumeCreate(spec));
    if (spec.hasDataDisk()) {
      // kept from an earlier VM of the app when its deletion kept it: the runner grows its disk
      ensureVolume(requests.dataVolumeInspect(ref), requests.dataVolumeCreate(ref));
    }
    PodmanApi.Response container = api.inspect(requests.inspect(ref));
    if (container.status() == 404) {
      create(spec);
    } else if (!container.ok()) {
      throw PodmanApi.refused("GET", requests.inspect(ref), container);
    } else if (container.json().path("State").path("Running").asBoolean(false)) {
      return;
    }
    api.require("POST", requests.start(ref), null);
  }

  private void ensureVolume(String inspect, Map<String, Object> create) {
    if (api.get(inspect).status() == 404) {
      PodmanApi.Response created = api.post("/volumes/create", create);
      if (!created.ok() && created.status() != 409) {
        throw PodmanApi.refused("POST", "/volumes/create", created);
      }
    }
  }

  /**
   * Makes the VM's container. Its user-data travels as a podman secret that podman copies into the
   * container's own storage when it makes it; the secret is removed right after, so podman's store
   * never keeps a VM's user-data (a secret left by a bridge that died in between is swept with
   * apps' orphaned secrets, and by {@link #delete}).
   */
  private void create(VmSpec spec) {
    AppRef ref = spec.ref();
    Accelerator accelerator = Accelerator.on(settings.devKvm());
    Map<String, Object> body = requests.containerCreate(spec, accelerator, kvmGroup(accelerator));
    if (!body.containsKey("secrets")) {
      api.require("POST", "/containers/create", body);
      return;
    }
    removeSecret(ref);
    api.require("POST", requests.secretCreate(ref), VmRequests.userData(spec));
    try {
      api.require("POST", "/containers/create", body);
    } finally {
      removeSecret(ref);
    }
  }

  /**
   * Checks that {@code image} is a containerDisk the runner boots (docs/vms.md: exactly one qcow2
   * or raw disk under {@code /disk/}, a regular file the VM's user 107 may read and that names no
   * backing or data file, and a kernel under {@code /boot/}), with the runner's own check in a
   * short-lived container of its own. Synchronous: under a second here.
   *
   * @return why it is not, in the check's words; empty when it is
   */
  @Override
  public Optional<String> diskProblem(AppRef ref, String image) {
    String name = requests.diskCheckName(ref);
    api.delete("/containers/" + name + "?force=true&timeout=0");
    api.require("POST", "/containers/create", requests.diskCheckCreate(ref, image));
    api.require("POST", "/containers/" + name + "/start", null);
    OneOffResult checked = new OneOffContainer(api, new PodmanRequests(podman)).await(name, CHECK);
    if (checked.succeeded()) {
      return Optional.empty();
    }
    if (checked.exitCode() == null) {
      return Optional.of("the image could not be checked within " + CHECK.toSeconds() + " s");
    }
    String output = checked.output();
    return Optional.of(
        output.isEmpty()
            ? "the image's check ended with exit code " + checked.exitCode()
            : output.substring(output.lastIndexOf('\n') + 1));
  }

  private void removeSecret(AppRef ref) {
    PodmanApi.Response removed = api.delete(requests.secretRemove(ref));
    if (!removed.ok() && removed.status() != 404) {
      throw PodmanApi.refused("DELETE", requests.secretRemove(ref), removed);
    }
  }

  /** The VM's state; asks QEMU over QMP while it runs. */
  @Override
  public VmStatus status(AppRef ref) {
    PodmanApi.Response container = api.inspect(requests.inspect(ref));
    if (container.status() == 404) {
      return VmStatus.absent();
    }
    if (!container.ok()) {
      throw PodmanApi.refused("GET", requests.inspect(ref), container);
    }
    JsonNode state = container.json().path("State");
    if (!state.path("Running").asBoolean(false)) {
      return new VmStatus(
          VmStatus.State.STOPPED,
          Optional.empty(),
          Optional.empty(),
          false,
          Optional.empty(),
          Optional.of(state.path("ExitCode").asInt()));
    }
    Optional<Accelerator> accelerator = Optional.empty();
    Optional<String> qemuState = Optional.empty();
    Path dir = stateDir(ref);
    if (Files.exists(dir.resolve(QemuCommand.QMP_SOCKET))) {
      try (Qmp qmp = Qmp.connect(dir.resolve(QemuCommand.QMP_SOCKET), settings.qmpTimeout())) {
        qemuState = Optional.of(qmp.execute("query-status").path("status").asString());
        boolean kvm = qmp.execute("query-kvm").path("enabled").asBoolean(false);
        accelerator = Optional.of(kvm ? Accelerator.KVM : Accelerator.TCG);
      } catch (UncheckedIOException | IllegalStateException e) {
        // QEMU is still starting (its socket not listening yet) or ending: nothing to report
      }
    }
    Optional<Double> readyAfter = readyAfter(dir, startedAt(state));
    return new VmStatus(
        VmStatus.State.RUNNING,
        accelerator,
        qemuState,
        readyAfter.isPresent(),
        readyAfter,
        Optional.empty());
  }

  /**
   * Stops the VM gracefully: QMP's {@code system_powerdown} (the guest's ACPI power button), then
   * {@code quit} when the guest has not powered off within the grace period, then a kill when QEMU
   * does not answer. Keeps the container and its volume (the disk overlay): {@link #start} boots it
   * again.
   */
  @Override
  public Stopped stop(AppRef ref) {
    PodmanApi.Response container = api.inspect(requests.inspect(ref));
    if (container.status() == 404
        || (container.ok() && !container.json().path("State").path("Running").asBoolean(false))) {
      return Stopped.NOT_RUNNING;
    }
    Stopped how = Stopped.KILLED;
    try (Qmp qmp =
        Qmp.connect(stateDir(ref).resolve(QemuCommand.QMP_SOCKET), settings.qmpTimeout())) {
      qmp.execute("system_powerdown");
      Optional<JsonNode> shutdown = qmp.awaitEvent("SHUTDOWN", settings.powerdownGrace());
      if (shutdown.isPresent() && shutdown.get().path("data").path("guest").asBoolean(false)) {
        how = Stopped.POWERED_OFF;
      } else {
        qmp.execute("quit");
        how = Stopped.QUIT;
      }
    } catch (UncheckedIOException | IllegalStateException e) {
      how = Stopped.KILLED;
    }
    if (how == Stopped.KILLED) {
      api.require("POST", requests.stop(ref, 0), null);
    }
    awaitExit(ref);
    return how;
  }

  /**
   * Attaches a session to the running VM's serial console, through the one connection the bridge
   * keeps to it while it has sessions ({@link VmConsole}); only a session with {@code mayType}
   * reaches the guest's input.
   *
   * @throws UncheckedIOException when the console cannot be reached: QEMU is not running, or is
   *     still starting
   */
  @Override
  public VmConsole.Session console(AppRef ref, VmConsole.Listener listener, boolean mayType) {
    Path dir = stateDir(ref);
    // a connection that closes (QEMU ended) between being found and attached to is replaced once
    for (int attempt = 0; attempt < 2; attempt++) {
      VmConsole console =
          consoles.computeIfAbsent(
              ref.appId(),
              id ->
                  VmConsole.connect(
                      dir.resolve(QemuCommand.CONSOLE_SOCKET),
                      dir.resolve(QemuCommand.CONSOLE_LOG),
                      closed -> consoles.remove(id, closed)));
      Optional<VmConsole.Session> session = console.attach(listener, mayType);
      if (session.isPresent()) {
        return session.get();
      }
      consoles.remove(ref.appId(), console);
    }
    throw new UncheckedIOException(
        new IOException("the console of VM " + ref + " closed as it was opened: QEMU ended"));
  }

  /**
   * Where the VM's exposed port {@code port} answers on its project's network ({@code ip:port}), as
   * an app's instance does; empty unless it runs.
   */
  @Override
  public Optional<String> address(AppRef ref, int port) {
    PodmanApi.Response container = api.inspect(requests.inspect(ref));
    if (!container.ok()) {
      return Optional.empty();
    }
    String ip =
        container
            .json()
            .path("NetworkSettings")
            .path("Networks")
            .path(requests.networkName(ref))
            .path("IPAddress")
            .asString("");
    return ip.isEmpty() ? Optional.empty() : Optional.of(ip + ":" + port);
  }

  /**
   * Removes the VM's container and its volumes (disk overlay, seed, sockets; its data disk), and a
   * user-data secret or an image check a crashed start may have left: nothing is left.
   */
  @Override
  public void delete(AppRef ref) {
    delete(ref, false);
  }

  /**
   * As {@link #delete(AppRef)}; {@code keepDataDisk}: but the data disk, which the app's next VM
   * with a data disk then mounts again.
   */
  @Override
  public void delete(AppRef ref, boolean keepDataDisk) {
    if (keepDataDisk) {
      // powered off first, as a stop does: the guest writes its file systems back then; a killed
      // QEMU loses what the guest had not written yet (a new file, for half a minute)
      stop(ref);
    }
    PodmanApi.Response removed = api.delete(requests.remove(ref));
    if (!removed.ok() && removed.status() != 404) {
      throw PodmanApi.refused("DELETE", requests.remove(ref), removed);
    }
    api.delete("/containers/" + requests.diskCheckName(ref) + "?force=true&timeout=0");
    removeVolume(requests.volumeRemove(ref));
    if (!keepDataDisk) {
      removeVolume(requests.dataVolumeRemove(ref));
    }
    removeSecret(ref);
  }

  private void removeVolume(String path) {
    PodmanApi.Response volume = api.delete(path);
    if (!volume.ok() && volume.status() != 404) {
      throw PodmanApi.refused("DELETE", path, volume);
    }
  }

  /**
   * The size in MiB of the app's data disk as it is on this host (kept by an earlier VM's deletion,
   * or the VM's own), read from its qcow2 header; empty when it has none yet.
   */
  @Override
  public OptionalLong dataDiskMib(AppRef ref) {
    PodmanApi.Response volume = api.get(requests.dataVolumeInspect(ref));
    if (volume.status() == 404) {
      return OptionalLong.empty();
    }
    if (!volume.ok()) {
      throw PodmanApi.refused("GET", requests.dataVolumeInspect(ref), volume);
    }
    Path disk = Path.of(volume.json().path("Mountpoint").asString(), "data.qcow2");
    return QcowHeader.virtualSize(disk).stream().map(bytes -> bytes >> 20).findFirst();
  }

  /**
   * What the VM's volumes take on the host, in MiB rounded up: its disk overlay (the guest's
   * writes, at most the image's virtual size), its seed and its console log, and its data disk (as
   * much as the guest wrote of it); 0 when it has none.
   */
  public long diskMib(AppRef ref) {
    long bytes =
        volumeBytes(requests.volumeInspect(ref)) + volumeBytes(requests.dataVolumeInspect(ref));
    return (bytes + MIB - 1) / MIB;
  }

  /**
   * What the tenant's data disks kept without their VM take on the host, in MiB rounded up: those
   * whose app is not one of {@code withVm} (theirs {@link #diskMib} counts).
   */
  public long keptDataDiskMib(String tenantId, Set<String> withVm) {
    long bytes = 0;
    for (JsonNode volume : api.require("GET", requests.dataVolumesOf(tenantId), null).json()) {
      String appId = volume.path("Labels").path(Labels.APP_ID).asString("");
      if (!withVm.contains(appId)) {
        bytes += filesBytes(Path.of(volume.path("Mountpoint").asString()));
      }
    }
    return (bytes + MIB - 1) / MIB;
  }

  private long volumeBytes(String inspect) {
    PodmanApi.Response volume = api.get(inspect);
    if (volume.status() == 404) {
      return 0;
    }
    if (!volume.ok()) {
      throw PodmanApi.refused("GET", inspect, volume);
    }
    return filesBytes(Path.of(volume.json().path("Mountpoint").asString()));
  }

  private static long filesBytes(Path dir) {
    long bytes = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          bytes += Files.size(file);
        }
      }
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure the VM's volume " + dir, e);
    }
    return bytes;
  }

  /** The VM's volume as this host sees it: where QEMU's sockets and the console log are. */
  Path stateDir(AppRef ref) {
    return Path.of(
        api.require("GET", requests.volumeInspect(ref), null).json().path("Mountpoint").asString());
  }

  private void awaitExit(AppRef ref) {
    // podman answers once the container is no longer running (QEMU has exited)
    PodmanApi.Response waited = api.post(requests.await(ref), null);
    if (!waited.ok() && waited.status() != 404) {
      throw PodmanApi.refused("POST", requests.await(ref), waited);
    }
  }

  /** When podman started the container; empty when it does not say in a form this reads. */
  private static Optional<Instant> startedAt(JsonNode state) {
    try {
      return Optional.of(OffsetDateTime.parse(state.path("StartedAt").asString("")).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * The uptime at which the guest said it is ready in this boot's console log. A log last written
   * before the container started is the previous boot's, which the runner has not replaced yet
   * (right after a start): its ready line says nothing of this boot.
   */
  private static Optional<Double> readyAfter(Path dir, Optional<Instant> startedAt) {
    Path file = dir.resolve(QemuCommand.CONSOLE_LOG);
    try (InputStream log = Files.newInputStream(file)) {
      if (startedAt.isPresent()
          && Files.getLastModifiedTime(file).toInstant().isBefore(startedAt.get())) {
        return Optional.empty();
      }
      // the guest says it early in its boot; a chatty guest's log is never read whole
      String console = new String(log.readNBytes(READY_WITHIN_BYTES), StandardCharsets.UTF_8);
      Matcher ready = READY_UPTIME.matcher(console);
      return ready.find() ? Optional.of(Double.parseDouble(ready.group(1))) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the VM's console log in " + dir, e);
    }
  }

  private int kvmGroup(Accelerator accelerator) {
    if (accelerator != Accelerator.KVM) {
      return 0;
    }
    try {
      return (Integer) Files.getAttribute(settings.devKvm(), "unix:gid");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the group of " + settings.devKvm(), e);
    }
  }
}
