package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import io.slipway.runtime.vm.PodmanVms;
import io.slipway.testing.TestKeycloak;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * VMs through the API (issue 23) with the real tenant-service, Keycloak and podman, the platform's
 * Debian guest booted under TCG: made, reached on the project network, stopped, started, restarted
 * and deleted without a trace; the compute quota held while it runs; roles, other tenants and bad
 * input refused; the app's and the project's deletion take the VM with them. The app's host, asked
 * through the router (the test's Caddy), answers the guest's HTTP port once it is up and the 503
 * page while it boots or is stopped. Few boots on purpose: each costs seconds of emulated CPU.
 */
class VmApiIT extends ApiFixture {

  private static final Duration BOOT = Duration.ofSeconds(120);
  private static final String BOOTING = "Its virtual machine is booting";
  private static final String STOPPED = "This app is stopped.";
  private static final String NOT_DEPLOYED = "This app has not been deployed yet.";
  private static final String NO_HTTP_PORT = "This app serves no web pages.";
  private static final String NOT_RUNNING = "This app is not running right now";

  @Autowired PodmanVms podmanVms;
  @Autowired CatalogEventConsumer consumer;
  @Autowired VmWatch watch;

  private final String vm = appPath + "/vm";
  private final String otherTenant = "rt2-" + suffix;

  private static final String USER_DATA =
      """
      #cloud-config
      runcmd:
        - mkdir -p /srv && echo "vm $(cat /proc/sys/kernel/random/boot_id | cut -c1-8)" > /srv/index.html
        - 'busybox httpd -p 8080 -h /srv'
      """;

  @Test
  void aVmIsReachedStoppedStartedRestartedAndDeletedLeavingNothingBehind() throws Exception {
    String alice = aliceWithApp();
    String victor = viewer(alice);
    String bob = user("bob");
    tenantWithSite(bob, otherTenant);
    AppRef ref = site(alice);
    try {
      everyEndpointIsNotFoundFor(bob);
      bridge(alice, "GET", vm, null, 404);
      bridge(victor, "PUT", vm, spec(1, 256), 403);

      JsonNode made = bridge(alice, "PUT", vm, spec(1, 256), 201);
      assertThat(made.path("desired").asString()).isEqualTo("RUNNING");
      assertThat(made.path("state").asString()).isEqualTo("RUNNING");
      // its disk (overlay, seed, console log in its volume) counts against the tenant's storage:
      // its runner makes them once it runs (after checking the image), and a pass measures them
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                watch.pass();
                return vmDisksMib(alice);
              },
              mib -> mib > 0);
      assertThat(made.path("memoryMib").asInt()).isEqualTo(256);
      assertThat(made.path("reservedMemoryMib").asInt()).isEqualTo(512);
      assertThat(made.path("userDataBytes").asInt()).isEqualTo(USER_DATA.length());
      assertThat(made.toString()).doesNotContain("busybox");
      assertThat(made.path("httpPort").asInt()).isEqualTo(8080);
      assertThat(made.path("url").asString())
          .isEqualTo("http://" + siteHost() + ":" + CADDY.httpPort());
      assertThat(cpuAndMemoryUsed(alice)).containsExactly(1000L, 512L);
      // the same VM again changes nothing; another spec is refused
      assertThat(bridge(alice, "PUT", vm, spec(1, 256), 200).path("vcpus").asInt()).isEqualTo(1);
      assertThat(bridge(alice, "PUT", vm, spec(1, 512), 409).path("type").asString())
          .endsWith("/vm-exists");
      assertThat(cpuAndMemoryUsed(alice)).containsExactly(1000L, 512L);
      // an app that is a VM takes no image
      bridge(alice, "POST", app, deployment(TestImages.httpd("vm-no", "no\n"), 1, null), 409);

      JsonNode ready = awaitReady(victor);
      assertThat(ready.path("accelerator").asString()).isEqualTo("TCG");
      String address = ready.path("addresses").get(0).asString();
      String firstBoot = awaitPage(address);
      assertThat(awaitRouted()).isEqualTo(firstBoot);
      // the reconciler's pass takes the VM's app for what it is, not for an app never deployed
      reconciler.reconcile();
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/"))
          .isEqualTo(new HostRequest.Answer(200, firstBoot));
      everyEndpointIsNotFoundFor(bob);
      bridge(victor, "POST", vm + "/stop", null, 403);
      bridge(victor, "POST", vm + "/restart", null, 403);
      bridge(victor, "DELETE", vm, null, 403);
      assertThat(bridge(victor, "GET", vm, null, 200).path("state").asString())
          .isEqualTo("RUNNING");

      JsonNode stopped = bridge(alice, "POST", vm + "/stop", null, 200);
      assertThat(stopped.path("state").asString()).isEqualTo("STOPPED");
      assertThat(stopped.path("desired").asString()).isEqualTo("STOPPED");
      assertThat(stopped.path("addresses")).isEmpty();
      assertThat(routed().status()).isEqualTo(503);
      assertThat(routed().body()).startsWith(STOPPED);
      assertThat(cpuAndMemoryUsed(alice)).containsExactly(0L, 0L);
      assertThat(appEvents(alice, "VmStopped"))
          .singleElement()
          .satisfies(e -> assertThat(e.path("message").asString()).contains("powered off"));
      bridge(victor, "POST", vm + "/start", null, 403);
      assertThat(bridge(alice, "POST", vm + "/restart", null, 409).path("type").asString())
          .endsWith("/vm-not-running");

      bridge(alice, "POST", vm + "/start", null, 200);
      // answered once QEMU runs: the guest boots for seconds yet, its host says so meanwhile
      HostRequest.Reply booting = routed();
      assertThat(booting.status()).isEqualTo(503);
      assertThat(booting.header("Retry-After")).isEqualTo("5");
      assertThat(booting.body()).contains(BOOTING);
      assertThat(cpuAndMemoryUsed(alice)).containsExactly(1000L, 512L);
      String secondBoot = awaitPage(awaitReady(alice).path("addresses").get(0).asString());
      assertThat(secondBoot).isNotEqualTo(firstBoot);
      assertThat(awaitRouted()).isEqualTo(secondBoot);

      JsonNode restarted = bridge(alice, "POST", vm + "/restart", null, 200);
      assertThat(restarted.path("state").asString()).isEqualTo("RUNNING");
      assertThat(cpuAndMemoryUsed(alice)).containsExactly(1000L, 512L);
      String thirdBoot = awaitPage(awaitReady(alice).path("addresses").get(0).asString());
      assertThat(thirdBoot).isNotIn(firstBoot, secondBoot);
      assertThat(awaitRouted()).isEqualTo(thirdBoot);

      // a look at a VM that runs changes nothing; once the guest powered itself off (QMP's
      // power button, not the API), the next look starts it again, its compute held throughout
      watch.pass();
      assertThat(cpuAndMemoryUsed(alice)).containsExactly(1000L, 512L);
      assertThat(podmanVms.stop(ref)).isEqualTo(PodmanVms.Stopped.POWERED_OFF);
      assertThat(cpuAndMemoryUsed(alice)).containsExactly(1000L, 512L);
      watch.pass();
      String fourthBoot = awaitPage(awaitReady(alice).path("addresses").get(0).asString());
      assertThat(fourthBoot).isNotIn(firstBoot, secondBoot, thirdBoot);
      assertThat(awaitRouted()).isEqualTo(fourthBoot);
      assertThat(cpuAndMemoryUsed(alice)).containsExactly(1000L, 512L);
      assertThat(appEvents(alice, "VmExited"))
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.path("message").asString())
                      .contains("exit code 0: the guest powered itself off"));
      assertThat(appEvents(alice, "VmRestarted").get(0).path("message").asString())
          .contains("restart 1 in a row")
          .contains("the next attempt is at");

      // QEMU killed in its runner: started again as well, the second restart in a row
      assertThat(
              PODMAN.attempt(List.of("kill", TestImages.PREFIX + ref.appId() + "-vm")).exitCode())
          .isZero();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                watch.pass();
                return appEvents(alice, "VmRestarted");
              },
              restarts -> restarts.size() == 3);
      String fifthBoot = awaitPage(awaitReady(alice).path("addresses").get(0).asString());
      assertThat(fifthBoot).isNotIn(firstBoot, secondBoot, thirdBoot, fourthBoot);
      assertThat(appEvents(alice, "VmExited").get(0).path("message").asString())
          .contains("exit code 137: QEMU was killed");
      assertThat(appEvents(alice, "VmRestarted").get(0).path("message").asString())
          .contains("restart 2 in a row");
      assertThat(cpuAndMemoryUsed(alice)).containsExactly(1000L, 512L);

      // stopped through the API, it stays stopped
      bridge(alice, "POST", vm + "/stop", null, 200);
      watch.pass();
      JsonNode asked = bridge(alice, "GET", vm, null, 200);
      assertThat(asked.path("desired").asString()).isEqualTo("STOPPED");
      assertThat(asked.path("state").asString()).isEqualTo("STOPPED");
      assertThat(cpuAndMemoryUsed(alice)).containsExactly(0L, 0L);
      assertThat(routed().body()).startsWith(STOPPED);

      // four boots wrote to its overlay: the pass measures what it takes now
      long disk = vmDisksMib(alice);
      watch.pass();
      assertThat(vmDisksMib(alice)).isGreaterThanOrEqualTo(disk);

      bridge(alice, "DELETE", vm, null, 204);
      assertNothingLeft(ref);
      assertThat(cpuAndMemoryUsed(alice)).containsExactly(0L, 0L);
      assertThat(vmDisksMib(alice)).isZero();
      bridge(alice, "GET", vm, null, 404);
      // the app is left, as an app never deployed
      assertThat(routed().status()).isEqualTo(503);
      assertThat(routed().body()).startsWith(NOT_DEPLOYED);
      assertThat(appEventReasons(alice))
          .containsExactly(
              "VmDeleted",
              "VmStopped",
              "VmRestarted",
              "VmExited",
              "VmRestarted",
              "VmExited",
              "VmRestarted",
              "VmStarted",
              "VmStopped",
              "VmCreated");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(auditActions(alice))
                      .containsSubsequence(
                          "app.vm-deleted",
                          "app.vm-stopped",
                          "app.vm-restarted",
                          "app.vm-started",
                          "app.vm-stopped",
                          "app.vm-created"));
      // the trail keeps the spec, never the user-data
      assertThat(
              tenantService(
                  alice, "GET", "/api/v1/tenants/" + tenant + "/audit?size=50", null, 200))
          .contains("\"memoryMib\"")
          .doesNotContain("busybox");
    } finally {
      podmanVms.delete(ref);
      forgetTenant();
    }
  }

  @Test
  void badInputIsRefusedNamingTheFieldAndAVmBeyondTheQuotaIsRefusedNamingIt() throws Exception {
    String alice = aliceWithApp();
    AppRef ref = site(alice);
    try {
      assertRefused(alice, "{\"memoryMib\":256}", 400, "vcpus is required (1 to 8)");
      assertRefused(alice, "{\"vcpus\":9,\"memoryMib\":256}", 400, "vcpus must be 1 to 8, not 9");
      assertRefused(alice, "{\"vcpus\":1}", 400, "memoryMib is required (128 to 16384)");
      assertRefused(
          alice, "{\"vcpus\":1,\"memoryMib\":64}", 400, "memoryMib must be 128 to 16384, not 64");
      assertRefused(
          alice,
          "{\"vcpus\":1,\"memoryMib\":256,\"ports\":[70000]}",
          400,
          "port 70000 is not a TCP port (1 to 65535)");
      assertRefused(
          alice,
          "{\"vcpus\":1,\"memoryMib\":256,\"ports\":[22,22]}",
          400,
          "port 22 is exposed twice");
      assertRefused(
          alice,
          "{\"vcpus\":1,\"memoryMib\":256,\"userData\":\"" + "x".repeat(64 * 1024 + 1) + "\"}",
          400,
          "userData is 65537 bytes; at most 65536 are allowed");
      assertRefused(
          alice,
          "{\"vcpus\":1,\"memoryMib\":256,\"dataDiskMib\":63}",
          400,
          "dataDiskMib must be 0 (none) or 64 to 65536, not 63");
      assertRefused(
          alice,
          "{\"vcpus\":1,\"memoryMib\":256,\"image\":\"localhost/slipway/vm/../stacks/java:1\"}",
          400,
          "is not an image reference");
      assertRefused(
          alice,
          "{\"vcpus\":1,\"memoryMib\":256,\"image\":\"docker.io/library/debian:12\"}",
          422,
          "was refused");
      assertRefused(
          alice,
          "{\"vcpus\":1,\"memoryMib\":256,\"image\":\""
              + GovernanceFixture.BUILD_IMAGE_PREFIX
              + "/"
              + ref.tenantId()
              + "/disk:1\"}",
          422,
          "a tenant's VM image is named by its full digest");

      // the project may use 1000 millicores: two vCPUs are 2000
      JsonNode cpu = bridge(alice, "PUT", vm, spec(2, 256), 409);
      assertThat(cpu.path("type").asString()).endsWith("/quota-exceeded");
      assertThat(cpu.path("resource").asString()).isEqualTo("cpuMillicores");
      assertThat(cpu.path("requested").asLong()).isEqualTo(2000);
      tenantService(
          alice,
          "PUT",
          "/api/v1/tenants/" + tenant + "/projects/web/quota",
          "{\"cpuMillicores\":1000,\"memoryMib\":512}",
          200);
      // 384 MiB for the guest fit, with QEMU's 256 MiB beside it they do not
      JsonNode memory = bridge(alice, "PUT", vm, spec(1, 384), 409);
      assertThat(memory.path("resource").asString()).isEqualTo("memoryMib");
      assertThat(memory.path("requested").asLong()).isEqualTo(640);
      assertThat(memory.path("detail").asString()).contains("quota for memoryMib is 512");
      // its disks count against the tenant's storage: a data disk past the quota is refused
      String root = "root-" + suffix;
      String admin = TestKeycloak.userToken(root, TestKeycloak.createUser(root, "platform-admin"));
      String quota = "/api/v1/tenants/" + tenant + "/quota";
      ObjectNode limits =
          (ObjectNode) JSON.readTree(tenantService(alice, "GET", quota, null, 200)).path("limits");
      tenantService(admin, "PUT", quota, limits.put("storageMib", 100).toString(), 200);
      JsonNode storage =
          bridge(
              alice,
              "PUT",
              vm,
              JSON.writeValueAsString(
                  new VmRequest(1, 128, null, USER_DATA, List.of(8080), null, 128)),
              409);
      assertThat(storage.path("type").asString()).endsWith("/quota-exceeded");
      assertThat(storage.path("resource").asString()).isEqualTo("storageMib");
      assertThat(storage.path("requested").asLong()).isEqualTo(128);
      assertThat(storage.path("detail").asString())
          .isEqualTo("The tenant quota for storageMib is 100: 0 in use, 128 requested");
      // nothing was made, nothing is held
      bridge(alice, "GET", vm, null, 404);
      assertNothingLeft(ref);
      assertThat(cpuAndMemoryUsed(alice)).containsExactly(0L, 0L);
      assertThat(appEventReasons(alice)).contains("Refused").doesNotContain("VmCreated");
    } finally {
      podmanVms.delete(ref);
      forgetTenant();
    }
  }

  @Test
  void deletingTheAppOrItsProjectDeletesItsVm() throws Exception {
    String alice = aliceWithApp();
    projectWithSite(alice, tenant, "db");
    AppRef web = site(alice);
    AppRef db = tenants.requireAccess(tenant, "db", "site", alice, false);
    String dbVm = "/api/v1/tenants/" + tenant + "/projects/db/apps/site/vm";
    try {
      // its HTTP port is one nobody in the guest listens on
      bridge(
          alice,
          "PUT",
          vm,
          JSON.writeValueAsString(
              new VmRequest(1, 128, null, USER_DATA, List.of(8080, 9090), 9090)),
          201);
      JsonNode portless =
          bridge(
              alice,
              "PUT",
              dbVm,
              JSON.writeValueAsString(new VmRequest(1, 128, null, USER_DATA, List.of(8080), null)),
              201);
      assertThat(portless.path("url").isNull()).isTrue();
      assertThat(cpuAndMemoryUsed(alice)).containsExactly(2000L, 768L);
      // no httpPort: its hosts say so rather than guess which port speaks HTTP
      String dbHost = "site--db--" + tenant + ".apps.localhost";
      HostRequest.Reply noPort = HostRequest.get(CADDY.httpPort(), dbHost, "/", "*/*");
      assertThat(noPort.status()).isEqualTo(503);
      assertThat(noPort.body()).startsWith(NO_HTTP_PORT);
      // once the guest is up, the port it does not serve is the router's 503, never a 502
      awaitReady(alice);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                HostRequest.Reply reply = routed();
                assertThat(reply.status()).isEqualTo(503);
                return reply.body();
              },
              body -> body.startsWith(NOT_RUNNING));

      tenantService(alice, "DELETE", appPath, null, 204);
      consumer.catchUp();
      assertNothingLeft(web);
      // its route went with it: the router's 404 page
      assertThat(routed().status()).isEqualTo(404);
      assertThat(exists("container", db)).isTrue();
      assertThat(cpuAndMemoryUsed(alice)).containsExactly(1000L, 384L);

      tenantService(alice, "DELETE", "/api/v1/tenants/" + tenant + "/projects/db", null, 204);
      consumer.catchUp();
      assertNothingLeft(db);
      assertThat(HostRequest.get(CADDY.httpPort(), dbHost, "/").status()).isEqualTo(404);
      assertThat(cpuAndMemoryUsed(alice)).containsExactly(0L, 0L);
    } finally {
      podmanVms.delete(web);
      podmanVms.delete(db);
      forgetTenant();
    }
  }

  /** Each boot adds its id to the data disk, which the guest serves with its size in MiB. */
  private static final String DATA_USER_DATA =
      """
      #cloud-config
      runcmd:
        - 'cut -c1-8 /proc/sys/kernel/random/boot_id >> /data/boots'
        - 'echo "data $(df -m /data | tail -n 1 | tr -s " " | cut -d " " -f 2)" > /data/index.html'
        - 'cat /data/boots >> /data/index.html'
        - 'busybox httpd -p 8080 -h /data'
      """;

  @Test
  void aDataDiskOutlivesItsVmWhenKeptGrowsNeverShrinksAndGoesWithItsApp() throws Exception {
    String alice = aliceWithApp();
    AppRef ref = site(alice);
    try {
      JsonNode made = bridge(alice, "PUT", vm, dataSpec(256, 128), 201);
      assertThat(made.path("dataDiskMib").asInt()).isEqualTo(128);
      String[] first = awaitData(awaitReady(alice).path("addresses").get(0).asString(), 1);
      assertThat(dataVolumeExists(ref)).isTrue();

      // deleted to be made again with more memory and a bigger disk: the data stays
      bridge(alice, "DELETE", vm + "?keepDataDisk=true", null, 204);
      assertThat(exists("volume", ref)).as("the VM's own volume").isFalse();
      assertThat(dataVolumeExists(ref)).isTrue();
      assertThat(bridge(alice, "PUT", vm, dataSpec(256, 64), 409).path("type").asString())
          .endsWith("/data-disk-shrink");
      bridge(alice, "PUT", vm, dataSpec(384, 256), 201);
      String[] second = awaitData(awaitReady(alice).path("addresses").get(0).asString(), 2);
      assertThat(second[1]).isEqualTo(first[1]);
      assertThat(second[2]).isNotEqualTo(first[1]);
      // the file system grew with the disk
      assertThat(Integer.parseInt(second[0].substring("data ".length())))
          .isGreaterThan(Integer.parseInt(first[0].substring("data ".length())));

      bridge(alice, "DELETE", vm, null, 204);
      assertNothingLeft(ref);
      assertThat(dataVolumeExists(ref)).isFalse();

      // a disk kept, then the app deleted: the disk goes with the app; while kept without a VM
      // it is still the tenant's storage
      bridge(alice, "PUT", vm, dataSpec(256, 64), 201);
      awaitReady(alice);
      bridge(alice, "DELETE", vm + "?keepDataDisk=true", null, 204);
      assertThat(dataVolumeExists(ref)).isTrue();
      watch.pass();
      assertThat(vmDisksMib(alice)).isPositive();
      tenantService(alice, "DELETE", appPath, null, 204);
      consumer.catchUp();
      assertThat(dataVolumeExists(ref)).isFalse();
      assertThat(vmDisksMib(alice)).isZero();
    } finally {
      podmanVms.delete(ref);
      forgetTenant();
    }
  }

  private static String dataSpec(int memoryMib, int dataDiskMib) {
    return JSON.writeValueAsString(
        new VmRequest(1, memoryMib, null, DATA_USER_DATA, List.of(8080), null, dataDiskMib));
  }

  /** The guest's data page once it lists {@code boots} boots: its size line, then boot ids. */
  private String[] awaitData(String address, int boots) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> guestPage(address).strip().split("\n"),
            lines -> lines.length == boots + 1 && lines[0].startsWith("data "));
  }

  private static boolean dataVolumeExists(AppRef ref) {
    return PODMAN
            .attempt(List.of("volume", "exists", TestImages.PREFIX + ref.appId() + "-vm-data"))
            .exitCode()
        == 0;
  }

  private static String spec(int vcpus, int memoryMib) {
    return JSON.writeValueAsString(
        new VmRequest(vcpus, memoryMib, null, USER_DATA, List.of(8080), 8080));
  }

  private void assertRefused(String token, String body, int status, String detail)
      throws Exception {
    JsonNode refused = bridge(token, "PUT", vm, body, status);
    assertThat(refused.path("type").asString())
        .endsWith(status == 400 ? "/invalid-vm" : "/image-refused");
    assertThat(refused.path("detail").asString()).contains(detail);
  }

  /** Every VM endpoint of alice's app answers {@code token} as if the app did not exist. */
  private void everyEndpointIsNotFoundFor(String token) throws Exception {
    String notFound = "App '" + tenant + "/web/site' was not found";
    List<JsonNode> answers = new ArrayList<>();
    answers.add(bridge(token, "GET", vm, null, 404));
    answers.add(bridge(token, "PUT", vm, spec(1, 256), 404));
    answers.add(bridge(token, "PUT", vm, "{\"vcpus\":99}", 404));
    for (String action : List.of("/start", "/stop", "/restart")) {
      answers.add(bridge(token, "POST", vm + action, null, 404));
    }
    answers.add(bridge(token, "DELETE", vm, null, 404));
    assertThat(answers)
        .allSatisfy(
            answer -> {
              assertThat(answer.path("type").asString()).endsWith("/not-found");
              assertThat(answer.path("detail").asString()).isEqualTo(notFound);
            });
  }

  private JsonNode awaitReady(String token) {
    return await()
        .atMost(BOOT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> bridge(token, "GET", vm, null, 200),
            view -> view.path("ready").asBoolean() && !view.path("addresses").isEmpty());
  }

  /** The page the guest's start command serves, once it answers. */
  private String awaitPage(String address) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> guestPage(address), body -> body.startsWith("vm "));
  }

  /** The page the guest serves at {@code address} on the project network. */
  private String guestPage(String address) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://" + address + "/"))
                .timeout(Duration.ofSeconds(2))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The app's host, asked through the router: it must answer at once, never hang. */
  private HostRequest.Reply routed() throws IOException {
    return HostRequest.get(CADDY.httpPort(), siteHost(), "/", "*/*", Duration.ofSeconds(10));
  }

  /**
   * The page the guest serves, once the app's host answers it through the router; until then each
   * answer is the 503 page of a VM booting, never a hang, a bare 502 or another page.
   */
  private String awaitRouted() {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              HostRequest.Reply reply = routed();
              if (reply.status() != 200) {
                assertThat(reply.status()).isEqualTo(503);
                assertThat(reply.body()).contains(BOOTING);
              }
              return reply;
            },
            reply -> reply.status() == 200)
        .body();
  }

  private void assertNothingLeft(AppRef ref) {
    assertThat(exists("container", ref)).as("the VM's container").isFalse();
    assertThat(exists("volume", ref)).as("the VM's volume").isFalse();
    assertThat(jdbc.sql("select count(*) from vm where app_id = ?").param(ref.appId()))
        .satisfies(q -> assertThat(q.query(Integer.class).single()).isZero());
  }

  private static boolean exists(String kind, AppRef ref) {
    return PODMAN
            .attempt(List.of(kind, "exists", TestImages.PREFIX + ref.appId() + "-vm"))
            .exitCode()
        == 0;
  }

  private List<Long> cpuAndMemoryUsed(String token) throws Exception {
    JsonNode used =
        JSON.readTree(
                tenantService(token, "GET", "/api/v1/tenants/" + tenant + "/usage", null, 200))
            .path("used");
    return List.of(used.path("cpuMillicores").asLong(), used.path("memoryMib").asLong());
  }

  /**
   * The storage the tenant's VM disks take, as tenant-service counts it: its {@code vm-disks}
   * measurement, which is all of the tenant's used storage here.
   */
  private long vmDisksMib(String token) throws Exception {
    JsonNode usage =
        JSON.readTree(
            tenantService(token, "GET", "/api/v1/tenants/" + tenant + "/usage", null, 200));
    long measured = 0;
    for (JsonNode part : usage.path("measured")) {
      if (part.path("key").asString().equals("vm-disks")) {
        measured = part.path("storageMib").asLong();
      }
    }
    assertThat(usage.path("used").path("storageMib").asLong()).isEqualTo(measured);
    return measured;
  }

  private List<String> auditActions(String token) throws Exception {
    return JSON.readTree(
            tenantService(token, "GET", "/api/v1/tenants/" + tenant + "/audit?size=50", null, 200))
        .path("items")
        .findValuesAsString("action");
  }
}
