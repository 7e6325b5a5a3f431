package io.slipway.runtime.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.driver.Instance;
import io.slipway.runtime.driver.OneOffCommands;
import io.slipway.runtime.driver.RetiredImage;
import io.slipway.runtime.driver.RevisionState;
import io.slipway.runtime.driver.RuntimeDriver;
import io.slipway.runtime.driver.RuntimeDriverContract;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.Specs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The podman driver with real containers, networks and images. */
class PodmanDriverIT extends RuntimeDriverContract {

  static final PodmanSettings SETTINGS = new PodmanSettings(TestImages.PREFIX, 64, Duration.ZERO);

  /** The command line, to look behind the driver's back. */
  static final PodmanRunner RUNNER = new PodmanRunner(Duration.ofSeconds(60));

  /** The project networks are closed as in production, in a table of this class's own. */
  static final ProjectFirewall FIREWALL =
      new ProjectFirewall(
          "slwtest_driver_" + java.util.UUID.randomUUID().toString().substring(0, 8),
          new Nft("nft"),
          project -> false);

  private final PodmanDriver driver = new PodmanDriver(SETTINGS, TestImages.API, FIREWALL);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Override
  protected RuntimeDriver driver() {
    return driver;
  }

  @Override
  protected RuntimeDriver restartedDriver() {
    return new PodmanDriver(SETTINGS, TestImages.API, FIREWALL);
  }

  @Override
  protected String image() {
    return TestImages.httpd("1", "one\n");
  }

  @Override
  protected List<String> runtimeObjects(AppRef ref) {
    String out =
        RUNNER
            .run(
                List.of(
                    "ps",
                    "--all",
                    "--format",
                    "{{.Names}}",
                    "--filter",
                    "label=slipway.io/app=" + ref.app(),
                    "--filter",
                    "label=slipway.io/tenant=" + ref.tenant()))
            .stdout();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  @Override
  protected void cleanUp(AppRef ref) {
    driver.removeProjectNetwork(ref);
  }

  @AfterAll
  static void removeImages() {
    TestImages.removeAll();
    FIREWALL.removeTable();
  }

  @Test
  void servesTheAppOverHttp() throws Exception {
    AppRef ref = newApp();
    driver.apply(spec(ref, 1, 1));
    String address = awaitRunning(ref).address();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(get(address)).isEqualTo("one\n"));
  }

  @Test
  void looksUpASpecsInstancesByNameAsObservingTheAppWouldFindThem() {
    AppRef ref = newApp();
    AppSpec spec = spec(ref, 1, 2);
    driver.apply(spec);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                driver.observe(spec).orElseThrow().running().stream()
                        .filter(i -> i.address() != null)
                        .count()
                    == 2);
    assertThat(driver.observe(spec).orElseThrow()).isEqualTo(driver.observe(ref, 1).orElseThrow());
    assertThat(driver.observe(spec(ref, 2, 1))).isEmpty();
  }

  @Test
  void anInstanceThatExitedIsSeenWithItsExitCode() {
    AppRef ref = newApp();
    AppSpec spec = Specs.web(ref, 1, TestImages.failing("bye", 7), 1);
    driver.apply(spec);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> driver.observe(spec).map(s -> s.running().isEmpty()).orElse(false));
    Instance exited = driver.observe(spec).orElseThrow().instances().getFirst();
    assertThat(exited.running()).isFalse();
    assertThat(exited.exitCode()).isEqualTo(7);
    assertThat(exited.address()).isNull();
    assertThat(exited).isEqualTo(driver.observe(ref, 1).orElseThrow().instances().getFirst());
  }

  @Test
  void removingAnAppRemovesThePodOfAnInstanceRemovedBehindItsBack() {
    AppRef ref = newApp();
    driver.apply(spec(ref, 1, 1));
    awaitRunning(ref);
    String instance = driver.requests().containerName(ref, 1, 0);
    RUNNER.run(List.of("rm", "-f", "-t", "0", instance));
    List<String> podExists = List.of("pod", "exists", driver.requests().podName(instance));
    assertThat(RUNNER.attempt(podExists).succeeded()).isTrue();

    driver.removeApp(ref);

    assertThat(RUNNER.attempt(podExists).succeeded()).isFalse();
  }

  @Test
  void makesTheProjectNetworkAgainWhenItWasRemovedBehindItsBack() throws Exception {
    AppRef ref = newApp();
    driver.apply(spec(ref, 1, 1));
    awaitRunning(ref);
    List<String> podExists =
        List.of(
            "pod", "exists", driver.requests().podName(driver.requests().containerName(ref, 1, 0)));
    assertThat(RUNNER.attempt(podExists).succeeded()).isTrue();
    driver.removeApp(ref);
    // the instance's pod (its infra container, which holds the network) went with it
    assertThat(RUNNER.attempt(podExists).succeeded()).isFalse();
    // the driver remembers the network exists; someone removes it anyway
    RUNNER.run(List.of("network", "rm", driver.requests().networkName(ref)));

    driver.apply(spec(ref, 2, 1));

    assertThat(
            RUNNER
                .attempt(List.of("network", "exists", driver.requests().networkName(ref)))
                .succeeded())
        .isTrue();
    String address = awaitRunning(ref).address();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(get(address)).isEqualTo("one\n"));
  }

  @Test
  void startsPodmansServiceAgainWhenItWasKilled() {
    try (PodmanApi api = PodmanApi.ownService(Duration.ofSeconds(30))) {
      PodmanDriver own = new PodmanDriver(SETTINGS, api, FIREWALL);
      AppRef ref = newApp();
      own.apply(spec(ref, 1, 1));
      long pid = api.servicePid().orElseThrow();
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();
      await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).isEmpty());

      assertThat(own.observe(ref)).hasSize(1);
      assertThat(api.servicePid()).isPresent().isNotEqualTo(java.util.Optional.of(pid));
      own.removeApp(ref);
      assertThat(runtimeObjects(ref)).isEmpty();
    }
  }

  @Test
  void aProjectCannotReachAnotherProject() throws Exception {
    AppRef a = newApp();
    AppRef b = newApp();
    AppRef neighbour = Specs.ref(a.tenant(), a.project(), "api");
    driver.apply(spec(a, 1, 1));
    driver.apply(spec(b, 1, 1));
    driver.apply(spec(neighbour, 1, 1));
    Instance fromA = awaitRunning(a);
    String inB = awaitRunning(b).address();
    String inA = awaitRunning(neighbour).address();
    await().atMost(Duration.ofSeconds(10)).until(() -> get(inB).equals("one\n"));

    // The same probe reaches an app of its own project: it would notice a connection.
    assertThat(connect(fromA.name(), inA).exitCode()).isZero();
    assertThat(connect(fromA.name(), inB).exitCode()).isNotZero();
  }

  @Test
  void runsContainersHardenedAndLimited() {
    AppRef ref = newApp();
    AppSpec spec = spec(ref, 1, 1);
    driver.apply(spec);
    String name = awaitRunning(ref).name();
    String inspected =
        RUNNER
            .run(
                List.of(
                    "inspect",
                    "--format",
                    "{{.HostConfig.CapDrop}} {{.HostConfig.SecurityOpt}} {{.HostConfig.ReadonlyRootfs}}"
                        + " {{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.Config.User}}",
                    name))
            .stdout()
            .strip();
    assertThat(inspected)
        .contains("no-new-privileges")
        .contains("true " + 64L * 1024 * 1024 + " 64 65534:65534");
    assertThat(inspected).containsPattern("CAP_[A-Z_]+");
    String uid = RUNNER.run(List.of("exec", name, "/bin/busybox", "id", "-u")).stdout().strip();
    assertThat(uid).isEqualTo("65534");
    assertThat(RUNNER.attempt(List.of("exec", name, "/bin/busybox", "touch", "/www/x")).exitCode())
        .isNotZero();
    // as with `podman run --read-only`: /tmp, /var/tmp and /run are writable tmpfs, and stay so
    // when the container is started again (a timeout's restart, a wake from zero): podman 4.3
    // mounts them again as root's with mode 755 unless they belong to the container's user
    assertWritableTmpfs(name, "at first");
    RUNNER.run(List.of("restart", "-t", "0", name));
    assertWritableTmpfs(name, "after a restart");
    RUNNER.run(List.of("stop", "-t", "0", name));
    RUNNER.run(List.of("start", name));
    assertWritableTmpfs(name, "after a stop and a start");
    assertThat(driver.observe(ref).getFirst().running()).hasSize(1);
    assertThat(
            RUNNER
                .run(List.of("exec", name, "/bin/busybox", "sh", "-c", "echo $GREETING"))
                .stdout())
        .isEqualTo(spec.env().get("GREETING") + "\n");
  }

  private static void assertWritableTmpfs(String container, String when) {
    for (String dir : List.of("/tmp", "/var/tmp", "/run")) {
      assertThat(
              RUNNER
                  .attempt(List.of("exec", container, "/bin/busybox", "touch", dir + "/x"))
                  .exitCode())
          .as(dir + " " + when)
          .isZero();
    }
  }

  /**
   * Secrets reach the app's process as variables, whatever their characters, with the image's own
   * entrypoint and command run after them, and {@code PORT} set by the runtime over a secret of
   * that name; yet podman's inspect of the container shows none of them, the file holding them is
   * the app user's alone, a one-off container gets them too, and removing the app removes its
   * podman secrets.
   */
  @Test
  void secretsReachTheAppButNotPodmansInspect() throws Exception {
    AppRef ref = newApp();
    String token = "t0k'en \"$HOME\" `id` a=b";
    String image =
        TestImages.dockerfile(
            "secret-env",
            """
            b=/bin/busybox
            $b mkdir -p /tmp/www
            echo "$TOKEN|$DSN|$GREETING|$PORT|$1" > /tmp/www/index.html
            exec $b httpd -f -p 8080 -h /tmp/www
            """,
            "COPY busybox /bin/sh\n"
                + "ENTRYPOINT [\"/bin/busybox\", \"sh\", \"/www/run.sh\"]\n"
                + "CMD [\"from-cmd\"]");
    AppSpec spec =
        Specs.web(ref, 1, image, 1)
            .asRevision(
                1, Map.of("GREETING", "hello"), Map.of("TOKEN", token, "DSN", "x", "PORT", "1"));
    driver.apply(spec);
    String address = awaitRunning(ref).address();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> get(address).equals(token + "|x|hello|8080|from-cmd\n"));

    String name = awaitRunning(ref).name();
    String inspected = RUNNER.run(List.of("inspect", name)).stdout();
    assertThat(inspected).doesNotContain("t0k").contains("/.slipway/secrets");
    assertThat(
            RUNNER
                .run(List.of("exec", name, "/bin/busybox", "stat", "-c", "%a %u", SECRETS))
                .stdout()
                .strip())
        .isEqualTo("400 65534");

    OneOffCommands.OneOffResult release =
        driver.runOnce(spec, "release", "echo \"[$TOKEN]\"", Duration.ofSeconds(20));
    assertThat(release.output()).isEqualTo("[" + token + "]");

    assertThat(secretNames()).contains(name);
    driver.removeApp(ref);
    assertThat(secretNames()).noneMatch(secret -> secret.contains(ref.appId()));
  }

  /**
   * What a bridge killed between removing a container and its secret leaves: a secret under the
   * driver's prefix that no container has goes once it is old enough; a container's own secret, a
   * young one and another prefix's stay.
   */
  @Test
  void removesOnlyItsOwnOrphanedSecrets() throws Exception {
    String prefix = SETTINGS.namePrefix();
    java.nio.file.Path value = java.nio.file.Files.createTempFile("slwtest-secret", ".txt");
    java.nio.file.Files.writeString(value, "A=1\n");
    String orphan = prefix + "orphan-" + System.nanoTime();
    String owned = prefix + "owned-" + System.nanoTime();
    String foreign = "slwtest-other-" + System.nanoTime();
    for (String name : List.of(orphan, owned, foreign)) {
      RUNNER.run(List.of("secret", "create", name, value.toString()));
    }
    try {
      assertThat(
              driver.removeOrphanedSecrets(
                  java.util.Set.of(owned), java.time.Instant.now().minusSeconds(600)))
          .as("young ones stay")
          .doesNotContain(orphan);
      assertThat(
              driver.removeOrphanedSecrets(
                  java.util.Set.of(owned), java.time.Instant.now().plusSeconds(5)))
          .contains(orphan)
          .doesNotContain(owned, foreign);
      assertThat(secretNames()).doesNotContain(orphan).contains(owned, foreign);
    } finally {
      for (String name : List.of(orphan, owned, foreign)) {
        RUNNER.attempt(List.of("secret", "rm", name));
      }
      java.nio.file.Files.delete(value);
    }
  }

  private static final String SECRETS = "/.slipway/secrets";

  private static List<String> secretNames() {
    return RUNNER.run(List.of("secret", "ls", "--format", "{{.Name}}")).stdout().lines().toList();
  }

  /**
   * An app that leaves orphans behind keeps its process table small: the init the driver runs as
   * PID 1 reaps them. The same container made from the driver's own request without {@code init},
   * its only difference, fills up with zombies until its pids limit stops it forking.
   */
  @Test
  void reapsTheOrphansAnAppLeavesBehind() {
    AppRef ref = newApp();
    AppSpec spec = Specs.web(ref, 1, TestImages.orphanSpawner(), 1);
    driver.apply(spec);
    String reaped = awaitRunning(ref).name();
    String unreaped = reaped + "-noinit";
    Map<String, Object> withoutInit = new HashMap<>(driver.requests().create(spec, 0));
    withoutInit.remove("init");
    withoutInit.put("name", unreaped);
    withoutInit.remove("labels"); // not an instance of the app: the driver must not see it
    TestImages.API.require("POST", "/containers/create", withoutInit);
    try {
      TestImages.API.require("POST", driver.requests().start(unreaped), null);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> ProcessTable.zombies(unreaped), zombies -> zombies >= SETTINGS.pidsLimit() / 2);
      // more orphans than the pids limit would hold, had they stayed
      await()
          .failFast(
              "zombies pile up in the app's container", () -> ProcessTable.zombies(reaped) > 5)
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> ProcessTable.spawned(reaped), spawned -> spawned >= 2 * SETTINGS.pidsLimit());
      assertThat(ProcessTable.zombies(reaped)).isLessThanOrEqualTo(5);
      assertThat(ProcessTable.processes(reaped)).isLessThanOrEqualTo(8);
    } finally {
      RUNNER.attempt(List.of("rm", "-f", "-t", "0", unreaped));
    }
  }

  /** Over its memory limit an app is killed (137); with room, the same image exits normally. */
  @Test
  void anAppOverItsMemoryLimitIsKilled() {
    AppRef tight = newApp();
    AppRef roomy = newApp();
    driver.apply(withMemory(tight, 32));
    driver.apply(withMemory(roomy, 512));
    assertThat(awaitExit(tight)).isEqualTo(137);
    assertThat(awaitExit(roomy)).isZero();
  }

  private AppSpec withMemory(AppRef ref, int memoryMib) {
    return new AppSpec(
        ref, 1, TestImages.memoryHog(), null, 1, 8080, Map.of(), 500, memoryMib, "/", 65534, true);
  }

  private Integer awaitExit(AppRef ref) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                driver.observe(ref).stream()
                    .flatMap(s -> s.instances().stream())
                    .filter(i -> !i.running())
                    .map(Instance::exitCode)
                    .findFirst()
                    .orElse(null),
            code -> code != null);
  }

  private Instance awaitRunning(AppRef ref) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                driver.observe(ref).stream()
                    .map(RevisionState::running)
                    .flatMap(List::stream)
                    .filter(i -> i.address() != null)
                    .findFirst()
                    .orElse(null),
            i -> i != null);
  }

  private PodmanRunner.Result connect(String fromContainer, String address) {
    String[] hostPort = address.split(":");
    return RUNNER.attempt(
        List.of(
            "exec",
            fromContainer,
            "/bin/busybox",
            "sh",
            "-c",
            "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | /bin/busybox nc -w 2 "
                + hostPort[0]
                + " "
                + hostPort[1]
                + " | /bin/busybox grep -q '200 OK'"));
  }

  private String get(String address) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://" + address + "/"))
                .timeout(Duration.ofSeconds(2))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void retentionRemovesTheTenantsBuildOnceNothingRunsItAndOnlyItsNames() {
    AppRef ref = newApp();
    String builds = "localhost/" + TestImages.PREFIX + "builds/" + ref.tenantId() + "/";
    String build = builds + ref.projectId() + "/" + ref.appId() + ":1";
    RUNNER.run(List.of("tag", TestImages.httpd("retired", "retired\n"), build));
    RetiredImage retired = new RetiredImage(ref, build, builds);
    try {
      driver.apply(Specs.web(ref, 1, build, 1));
      assertThat(driver.removeImage(retired)).isEqualTo(RetiredImage.Removal.IN_USE);
      assertThat(exists(build)).isTrue();

      driver.remove(ref, 1);
      assertThat(driver.removeImage(retired)).isEqualTo(RetiredImage.Removal.REMOVED);
      assertThat(exists(build)).isFalse();
      // the image's other name is not the tenant's: the image stays under it
      assertThat(exists(TestImages.httpd("retired", "retired\n"))).isTrue();
      // a second pass, or one after a kill, finds it gone
      assertThat(driver.removeImage(retired)).isEqualTo(RetiredImage.Removal.REMOVED);
    } finally {
      RUNNER.attempt(List.of("rmi", build));
    }
  }

  private static boolean exists(String image) {
    return RUNNER.attempt(List.of("image", "exists", image)).succeeded();
  }
}
