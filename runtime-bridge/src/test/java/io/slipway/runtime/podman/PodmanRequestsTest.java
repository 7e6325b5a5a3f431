package io.slipway.runtime.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.ProcessSpec;
import io.slipway.runtime.model.Specs;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodmanRequestsTest {

  private final PodmanRequests requests =
      new PodmanRequests(new PodmanSettings("slipway-", 128, Duration.ofSeconds(3)));
  private final AppRef ref = Specs.ref("acme", "shop", "web");

  @Test
  void createsAHardenedLimitedContainerOnTheProjectNetwork() {
    AppSpec spec =
        new AppSpec(
            ref,
            4,
            "localhost/acme/web:1",
            "sha256:" + "c".repeat(64),
            2,
            8080,
            Map.of("B", "2", "A", "1 2"),
            1500,
            128,
            "/",
            1000,
            true);
    Map<String, Object> tmpfsOptions =
        Map.of(
            "type", "tmpfs", "source", "tmpfs", "options", List.of("rw", "nosuid", "nodev", "U"));
    assertThat(requests.create(spec, 1))
        .containsExactly(
            Map.entry("name", "slipway-" + ref.appId() + "-v4-1"),
            Map.entry("image", "localhost/acme/web@sha256:" + "c".repeat(64)),
            Map.entry(
                "labels",
                Map.ofEntries(
                    Map.entry("app.kubernetes.io/managed-by", "slipway"),
                    Map.entry("slipway.io/app-id", ref.appId()),
                    Map.entry("slipway.io/project-id", ref.projectId()),
                    Map.entry("slipway.io/tenant-id", ref.tenantId()),
                    Map.entry("slipway.io/app", "web"),
                    Map.entry("slipway.io/project", "shop"),
                    Map.entry("slipway.io/tenant", "acme"),
                    Map.entry("slipway.io/host", "web--shop--acme"),
                    Map.entry("slipway.io/instance", "1"),
                    Map.entry("slipway.io/port", "8080"),
                    Map.entry("slipway.io/revision", "4"))),
            Map.entry("cap_drop", List.of("ALL")),
            Map.entry("no_new_privileges", true),
            Map.entry("init", true),
            Map.entry(
                "resource_limits",
                Map.of(
                    "pids", Map.of("limit", 128),
                    "memory", Map.of("limit", 128L << 20, "swap", 128L << 20),
                    "cpu", Map.of("quota", 150_000L, "period", 100_000L))),
            Map.entry("read_only_filesystem", true),
            Map.entry(
                "mounts",
                List.of(
                    with(tmpfsOptions, "/tmp"),
                    with(tmpfsOptions, "/var/tmp"),
                    with(tmpfsOptions, "/run"))),
            Map.entry("user", "1000:1000"),
            Map.entry("env", Map.of("A", "1 2", "B", "2", "PORT", "8080")),
            Map.entry("pod", "slipway-" + ref.appId() + "-v4-1-pod"));
  }

  /**
   * A web instance's pod holds its network namespace on the project's network, sharing nothing
   * else, so it outlives the instance's stop at zero; named from the instance, removed with it.
   */
  @Test
  void aWebInstancesPodHoldsItsNetworkOnTheProjectsNetwork() {
    String pod = requests.podName("slipway-" + ref.appId() + "-v4-1");
    assertThat(pod).isEqualTo("slipway-" + ref.appId() + "-v4-1-pod");
    assertThat(requests.podCreate(ref, pod))
        .containsExactly(
            Map.entry("name", pod),
            Map.entry("netns", Map.of("nsmode", "bridge")),
            Map.entry("Networks", Map.of("slipway-" + ref.projectId(), Map.of())),
            Map.entry("shared_namespaces", List.of("net")));
    assertThat(requests.podRemove("slipway-" + ref.appId() + "-v4-1"))
        .isEqualTo("/pods/" + pod + "?force=true");
    // every pod of the app, those of instances gone behind the driver's back too
    assertThat(decoded(requests.listAppPods(ref)))
        .isEqualTo("/pods/json?filters={\"name\":[\"^slipway-" + ref.appId() + "-\"]}");
  }

  @Test
  void anotherProcessTypeRunsItsCommandByTheContainersShellWithoutPortOrRoute() {
    AppSpec spec =
        new AppSpec(
                ref,
                4,
                "localhost/acme/web:1",
                null,
                2,
                8080,
                Map.of("A", "1"),
                250,
                64,
                "/",
                65534,
                true,
                Map.of("TOKEN", "t"))
            .withProcesses(
                Map.of("worker", new ProcessSpec("node worker.js --q \"$Q\"; rm -rf /", 2)));
    Map<String, Object> body = requests.create(spec, "worker", 1);
    Map<String, Object> web = requests.create(spec, 1, List.of("/entry"));

    assertThat(body.get("name")).isEqualTo("slipway-" + ref.appId() + "-v4-worker-1");
    assertThat(body.get("entrypoint"))
        .isEqualTo(loadingSecrets("/bin/sh", "-c", "node worker.js --q \"$Q\"; rm -rf /"));
    assertThat(body.get("command")).isEqualTo(List.of());
    assertThat(body.get("restart_policy")).isEqualTo("on-failure");
    assertThat(body.get("restart_tries")).isEqualTo(PodmanRequests.PROCESS_RESTART_TRIES);
    assertThat(body.get("env")).isEqualTo(Map.of("A", "1"));
    assertThat(body.get("labels").toString()).contains("slipway.io/process=worker");
    // hardened and limited exactly as the web instance is
    for (String key : HARDENING) {
      assertThat(body.get(key)).as(key).isEqualTo(web.get(key));
    }
    // on the project's network itself: only a web instance, which wakes from zero, has a pod
    assertThat(body.get("Networks")).isEqualTo(Map.of("slipway-" + ref.projectId(), Map.of()));
    assertThat(body).doesNotContainKey("pod");
    assertThat(web).doesNotContainKeys("netns", "Networks");
    assertThat(web.get("entrypoint")).isEqualTo(loadingSecrets("/entry"));
    assertThat(web).doesNotContainKeys("restart_policy");
    assertThat(web.get("labels").toString()).doesNotContain("slipway.io/process");
  }

  /** The entrypoint that loads an instance's secrets, then runs {@code command}. */
  private static List<String> loadingSecrets(String... command) {
    List<String> entrypoint =
        new java.util.ArrayList<>(
            List.of("/.slipway/busybox", "sh", "-c", PodmanRequests.LOAD_SECRETS, "slipway"));
    entrypoint.addAll(List.of(command));
    return entrypoint;
  }

  /** What makes an instance hardened and limited: the same for every kind of container. */
  private static final List<String> HARDENING =
      List.of(
          "image",
          "cap_drop",
          "no_new_privileges",
          "init",
          "resource_limits",
          "read_only_filesystem",
          "mounts",
          "user");

  /**
   * The release phase's one-off container: the command is one argument of the container's own
   * shell, it is never restarted, gets no {@code PORT}, and is hardened and limited exactly as a
   * web instance (init as PID 1, no capability, the app's user, network and limits).
   */
  @Test
  void aOneOffContainerHasTheAppsRightsAndNoMore() {
    AppSpec spec = oneOffSpec();
    Map<String, Object> body = requests.createOneOff(spec, "release", "./migrate; rm -rf / '$(x)'");
    Map<String, Object> web = requests.create(spec, 0, List.of("/entry"));

    assertThat(body.get("name")).isEqualTo("slipway-" + ref.appId() + "-v4-release-0");
    assertThat(body.get("entrypoint"))
        .isEqualTo(loadingSecrets("/bin/sh", "-c", "./migrate; rm -rf / '$(x)'"));
    assertThat(body.get("command")).isEqualTo(List.of());
    assertThat(body).doesNotContainKeys("restart_policy", "restart_tries");
    assertThat(body.get("env")).isEqualTo(Map.of("A", "1"));
    assertThat(body.get("labels").toString()).contains("slipway.io/process=release");
    assertThat(body.get("init")).isEqualTo(true);
    for (String key : HARDENING) {
      assertThat(body.get(key)).as(key).isEqualTo(web.get(key));
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> requests.createOneOff(spec, "release", "a\nb"))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> requests.createOneOff(spec, "../x", "true"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * A developer's run is a one-off container as a release's, named after its run id, with no
   * process type (it is no instance), its run id and deadline as labels, and podman's own kill
   * timer; its command may have several lines but no NUL.
   */
  @Test
  void aRunIsAOneOffContainerOfItsOwnName() {
    AppSpec spec = oneOffSpec();
    Map<String, Object> body =
        requests.createRun(spec, "abcdefgh2345", "echo a\necho $A", 1_800_000_000L, 630);
    Map<String, Object> release = requests.createOneOff(spec, "release", "true");

    assertThat(body.get("name")).isEqualTo("slipway-" + ref.appId() + "-v4-run-abcdefgh2345");
    assertThat(body.get("entrypoint"))
        .isEqualTo(loadingSecrets("/bin/sh", "-c", "echo a\necho $A"));
    assertThat(body.get("command")).isEqualTo(List.of());
    assertThat(body.get("timeout")).isEqualTo(630L);
    assertThat(body.get("env")).isEqualTo(Map.of("A", "1"));
    @SuppressWarnings("unchecked")
    Map<String, String> labels = (Map<String, String>) body.get("labels");
    assertThat(labels)
        .containsEntry("slipway.io/run", "abcdefgh2345")
        .containsEntry("slipway.io/run-deadline", "1800000000")
        .doesNotContainKey("slipway.io/process");
    assertThat(body).doesNotContainKeys("restart_policy", "restart_tries");
    for (String key : HARDENING) {
      assertThat(body.get(key)).as(key).isEqualTo(release.get(key));
    }
    for (String command : List.of("", " ", "a\0b", "x".repeat(4097))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> requests.createRun(spec, "abcdefgh2345", command, 1, 1))
          .isInstanceOf(IllegalArgumentException.class);
    }
    for (String id : List.of("short", "ABCDEFGH2345", "abcdefgh234/", "abcdefgh23456")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> requests.createRun(spec, id, "true", 1, 1))
          .as(id)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** Revision 4 with a variable and a secret, read-only, as the app's user. */
  private AppSpec oneOffSpec() {
    return new AppSpec(
        ref,
        4,
        "img",
        null,
        1,
        8080,
        Map.of("A", "1"),
        250,
        64,
        "/",
        65534,
        true,
        Map.of("TOKEN", "t"));
  }

  /**
   * A process type's name is part of a container name only: the index after the last '-' and the
   * app's id before keep every (type, index) of every app apart, and apart from web instances.
   */
  @Test
  void processContainerNamesNeverCollideAndRefuseOtherCharacters() {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int index = 0; index < 12; index++) {
      names.add(requests.containerName(ref, 1, index));
      for (String type : List.of("a", "a-1", "a-1-0", "1", "0", "A", "w_2", "-", "--")) {
        names.add(requests.containerName(ref, 1, type, index));
      }
    }
    assertThat(names).hasSize(12 * 10);
    for (String hostile :
        List.of("", "a b", "a/../b", "a;rm", "worker\n", "é", "a".repeat(64), "a.b", "a:b")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> requests.containerName(ref, 1, hostile, 0))
          .as(hostile)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static Map<String, Object> with(Map<String, Object> mount, String destination) {
    Map<String, Object> full = new java.util.HashMap<>(mount);
    full.put("destination", destination);
    return full;
  }

  @Test
  void leavesTheRootWritableWhenTheAppNeedsIt() {
    AppSpec spec = new AppSpec(ref, 1, "img", null, 1, 8080, Map.of(), 250, 64, "/", 65534, false);
    Map<String, Object> body = requests.create(spec, 0);
    assertThat(body).doesNotContainKeys("read_only_filesystem", "mounts");
    assertThat(body.get("image")).isEqualTo("img");
    assertThat(body.get("resource_limits").toString()).contains("quota=25000");
  }

  /**
   * Secrets are in no create body (podman's inspect shows what the body says): they are one podman
   * secret per container, a file only the app's user reads, loaded by the mounted busybox before
   * the image's command, the process type's or the one-off's runs.
   */
  @Test
  void secretsAreAFileLoadedBeforeTheCommandAndNeverInTheBody() {
    AppSpec spec =
        new AppSpec(
            ref,
            1,
            "img",
            null,
            1,
            8080,
            Map.of("PLAIN", "shown"),
            250,
            64,
            "/",
            65534,
            true,
            Map.of("TOKEN", "hunter2", "DSN", "a b=c"));
    String name = "slipway-" + ref.appId() + "-v1-0";
    Map<String, Object> web = requests.create(spec, 0, List.of("/entry", "serve"));
    assertThat(web.toString()).doesNotContain("hunter2");
    assertThat(web.get("env")).isEqualTo(Map.of("PLAIN", "shown", "PORT", "8080"));
    assertThat(web.get("secrets"))
        .isEqualTo(
            List.of(
                Map.of(
                    "Source",
                    name,
                    "Target",
                    "/.slipway/secrets",
                    "UID",
                    65534L,
                    "GID",
                    65534L,
                    "Mode",
                    0400)));
    assertThat(web.get("mounts").toString())
        .contains("destination=/.slipway/busybox", "source=/bin/busybox", "options=[ro, nosuid");
    assertThat(web.get("entrypoint"))
        .isEqualTo(
            List.of(
                "/.slipway/busybox",
                "sh",
                "-c",
                PodmanRequests.LOAD_SECRETS,
                "slipway",
                "/entry",
                "serve"));
    assertThat(web.get("command")).isEqualTo(List.of());
    assertThat(new String(PodmanRequests.secretsFile(spec, web), StandardCharsets.UTF_8))
        .isEqualTo("DSN=a b=c\nTOKEN=hunter2\n");
    assertThat(PodmanRequests.secretCreate(name)).isEqualTo("/secrets/create?name=" + name);
    assertThat(PodmanRequests.secretRemove(name)).isEqualTo("/secrets/" + name);

    Map<String, Object> release = requests.createOneOff(spec, "release", "./migrate");
    assertThat(release.toString()).doesNotContain("hunter2");
    @SuppressWarnings("unchecked")
    List<String> entrypoint = (List<String>) release.get("entrypoint");
    assertThat(entrypoint)
        .endsWith("slipway", "/bin/sh", "-c", "./migrate")
        .startsWith("/.slipway/busybox");
    assertThat(release.get("secrets").toString())
        .contains("Source=slipway-" + ref.appId() + "-v1-release-0");
    assertThat(spec.toString()).doesNotContain("hunter2").contains("TOKEN");
    assertThatThrownBy(() -> requests.create(spec, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutSecretsNothingIsLoadedAndTheImagesCommandRuns() {
    AppSpec spec = new AppSpec(ref, 1, "img", null, 1, 8080, Map.of(), 250, 64, "/", 65534, false);
    assertThat(requests.create(spec, 0, List.of("/entry")))
        .doesNotContainKeys("secrets", "mounts", "entrypoint", "command");
  }

  /** $PORT is where the app is checked, whatever the app's own variables or secrets say. */
  @Test
  void tellsTheAppItsPortOverAnyVariableOfThatName() {
    AppSpec variable =
        new AppSpec(
            ref, 1, "img", null, 1, 9000, Map.of("PORT", "3000"), 250, 64, "/", 65534, true);
    assertThat(requests.create(variable, 0).get("env")).isEqualTo(Map.of("PORT", "9000"));
    AppSpec secret =
        new AppSpec(
            ref, 1, "img", null, 1, 9000, Map.of(), 250, 64, "/", 65534, true, Map.of("PORT", "1"));
    Map<String, Object> body = requests.create(secret, 0, List.of("/entry"));
    assertThat(body.get("env")).isEqualTo(Map.of("PORT", "9000"));
    assertThat(PodmanRequests.secretsFile(secret, body)).isEmpty();
  }

  /** Scale to zero: stopped and kept (not removed), and the traffic of several in one call. */
  @Test
  void stopsKeepingTheContainerAndSamplesSeveralAtOnce() {
    assertThat(requests.stop("c1")).isEqualTo("/containers/c1/stop?timeout=3");
    assertThat(requests.stats(List.of("c1", "c2")))
        .isEqualTo("/containers/stats?stream=false&containers=c1&containers=c2");
  }

  @Test
  void readsLogsFromTheTailAndFollowsWhenAsked() {
    assertThat(requests.logs("c1", 100, true))
        .isEqualTo("/containers/c1/logs?stdout=true&stderr=true&tail=100&follow=true");
    assertThat(requests.logs("c1", 5, false))
        .isEqualTo("/containers/c1/logs?stdout=true&stderr=true&tail=5");
    assertThat(requests.output("c1"))
        .isEqualTo("/containers/c1/logs?stdout=true&stderr=true&follow=true");
  }

  @Test
  void createsAnIsolatedLabelledNetworkPerProject() {
    assertThat(requests.networkCreate(ref))
        .containsExactly(
            Map.entry("name", "slipway-" + ref.projectId()),
            Map.entry("driver", "bridge"),
            Map.entry("options", Map.of("isolate", "true")),
            Map.entry(
                "labels",
                Map.of(
                    "app.kubernetes.io/managed-by", "slipway",
                    "slipway.io/project-id", ref.projectId(),
                    "slipway.io/tenant-id", ref.tenantId(),
                    "slipway.io/project", "shop",
                    "slipway.io/tenant", "acme")));
    assertThat(requests.networkExists(ref))
        .isEqualTo("/networks/slipway-" + ref.projectId() + "/exists");
  }

  @Test
  void removesWithTheStopTimeout() {
    assertThat(requests.remove("a")).isEqualTo("/containers/a?force=true&timeout=3");
  }

  @Test
  void listsAnAppByItsId() {
    assertThat(decoded(requests.listApp(ref)))
        .isEqualTo(
            "/containers/json?all=true&filters={\"label\":[\"slipway.io/app-id="
                + ref.appId()
                + "\"]}");
  }

  @Test
  void namesCollidingTenantsAndProjectsApartByTheirIds() {
    // acme/web-prod and acme-web/prod: once both slipway-acme-web-prod
    AppRef first = Specs.ref("acme", "web-prod", "api");
    AppRef second = Specs.ref("acme-web", "prod", "api");
    assertThat(requests.networkName(first)).isNotEqualTo(requests.networkName(second));
    assertThat(requests.containerName(first, 1, 0))
        .isNotEqualTo(requests.containerName(second, 1, 0));
  }

  @Test
  void findsATenantsNetworksByItsIdUnderThisBridgesPrefix() {
    assertThat(decoded(requests.listTenantNetworks(ref.tenantId())))
        .isEqualTo(
            "/networks/json?filters={\"label\":[\"slipway.io/tenant-id="
                + ref.tenantId()
                + "\"],\"name\":[\"^slipway-\"]}");
    assertThat(requests.networkRemove(requests.networkName(ref.projectId())))
        .isEqualTo("/networks/slipway-" + ref.projectId() + "?force=true");
  }

  @Test
  void listsOnlyTheContainersOfThisBridge() {
    assertThat(decoded(requests.listManaged()))
        .isEqualTo(
            "/containers/json?all=true&filters={\"label\":"
                + "[\"app.kubernetes.io/managed-by=slipway\"],\"name\":[\"^slipway-\"]}");
  }

  @Test
  void anImageIsLookedUpByItsWholeReferenceAsOnePathSegment() {
    assertThat(PodmanRequests.image("localhost/acme/web:1"))
        .isEqualTo("/images/localhost%2Facme%2Fweb%3A1/json");
  }

  @Test
  void anAppClaimsAnImageFromARegistryByATagOfItsOwnAndAPullIsMarked() {
    String image = "registry.example.com:5000/team/web@sha256:" + "d".repeat(64);
    String tag = PodmanRequests.claimTag(image);
    assertThat(tag).matches("[0-9a-f]{16}").isEqualTo(PodmanRequests.claimTag(image));
    assertThat(PodmanRequests.claimTag(image + "x")).isNotEqualTo(tag);
    assertThat(requests.claimRepository(ref.appId()))
        .isEqualTo("localhost/slipway-images/" + ref.appId());
    assertThat(requests.pulledRepository()).isEqualTo("localhost/slipway-pulled");
    assertThat(decoded(PodmanRequests.tag(image, requests.claimRepository(ref.appId()), tag)))
        .isEqualTo(
            "/images/"
                + image
                + "/tag?repo=localhost/slipway-images/"
                + ref.appId()
                + "&tag="
                + tag);
    assertThat(decoded(PodmanRequests.pull(image)))
        .isEqualTo("/images/pull?reference=" + image + "&policy=missing");
    assertThat(PodmanRequests.fromRegistry(image)).isTrue();
    assertThat(PodmanRequests.fromRegistry("localhost/slipway/acme/web:1")).isFalse();
  }

  @Test
  void findsAnImagesClaimsAndUsersAndRemovesItUnforced() {
    assertThat(decoded(PodmanRequests.listImages("localhost/slipway-images/a1")))
        .isEqualTo("/images/json?filters={\"reference\":[\"localhost/slipway-images/a1\"]}");
    assertThat(decoded(PodmanRequests.listUsing("abc123")))
        .isEqualTo("/containers/json?all=true&filters={\"ancestor\":[\"abc123\"]}");
    assertThat(decoded(PodmanRequests.untag("abc123", "localhost/slipway-images/a1", "t1")))
        .isEqualTo("/images/abc123/untag?repo=localhost/slipway-images/a1&tag=t1");
    assertThat(PodmanRequests.removeImage("127.0.0.1:5000/x:1"))
        .isEqualTo("/images/127.0.0.1%3A5000%2Fx%3A1")
        .doesNotContain("force");
  }

  private static String decoded(String path) {
    return URLDecoder.decode(path, StandardCharsets.UTF_8);
  }
}
