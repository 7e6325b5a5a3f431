package io.slipway.build.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.StaticBase;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestTenantService;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Every escape of issue 16, pushed as a tenant's Dockerfile would be, against the real sandbox
 * (podman, the builder image, buildah inside): each build fails or is harmless, nothing on the host
 * changes, and no other tenant's data reaches the log or the image.
 */
@ExtendWith(StaticBase.class)
class BuildSandboxIT extends BuildServiceTest {

  private static final String BUSYBOX = "/bin/busybox";

  /**
   * Echoed by a RUN step: the log shows {@link #RAN_SHOWN} only if the shell ran it (the step's own
   * command line, which the log shows too, has the sum unworked).
   */
  private static final String RAN = "ran-$((40+2))";

  private static final String RAN_SHOWN = "ran-42";

  @Autowired SandboxTenants tenants;
  @Autowired SandboxProperties sandbox;

  @TempDir Path work;
  private GitCli git;
  private final String secret = "host-secret-" + UUID.randomUUID();
  private Path hostSecret;
  private Path marker;

  @BeforeEach
  void setUp() throws Exception {
    git = new GitCli(work);
    hostSecret = Files.writeString(work.resolve("host-secret"), secret);
    marker = work.resolve("escaped");
  }

  @Test
  void aBindMountOfALinkToTheRootSeesOnlyTheSandbox() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    // CVE-2024-1753: a stage makes a link to /, a later step bind-mounts it (links in the
    // repository itself are never checked out)
    Path repo =
        git.newRepository(
            work.resolve("bind"),
            Map.of(
                "Containerfile",
                "FROM "
                    + STATIC_BASE_IMAGE
                    + " AS link\nWORKDIR /w\nRUN [\""
                    + BUSYBOX
                    + "\", \"ln\", \"-s\", \"/\", \"/w/root\"]\n"
                    + "FROM "
                    + STATIC_BASE_IMAGE
                    + "\nRUN --mount=type=bind,from=link,source=/w/root,target=/h "
                    + shellStep(
                        "b="
                            + BUSYBOX
                            + "; $b echo "
                            + RAN
                            + "; $b cat /h"
                            + hostSecret
                            + "; $b touch /h"
                            + marker
                            + "; $b ls /h/; $b echo done")
                    + "\n"));

    JsonNode build = push(tenant, repo, 1);

    assertThat(Files.exists(marker)).as("a file written through the link").isFalse();
    assertThat(Files.readString(hostSecret)).isEqualTo(secret);
    String log = tenant.log(baseUrl(), 1);
    assertThat(log).as(build.toString()).doesNotContain(secret);
    // the step did run, with the link mounted: the attack was tried, not refused before it
    assertThat(log).as(build.toString()).contains(RAN_SHOWN);
    assertThat(build.path("status").asString()).isIn("succeeded", "failed");
  }

  @Test
  void aCacheIdThatClimbsOutStaysInTheTenantsCache() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    String id = "../../../../../../../../.." + work;
    Path repo =
        repository(
            "cache",
            "RUN --mount=type=cache,id="
                + id
                + ",target=/c "
                + shellStep(
                    BUSYBOX
                        + " echo "
                        + RAN
                        + "; "
                        + BUSYBOX
                        + " touch /c/escaped; "
                        + BUSYBOX
                        + " cat /c/host-secret; true"));

    JsonNode build = push(tenant, repo, 1);

    assertThat(Files.exists(marker)).as("a file written through the cache id").isFalse();
    String log = tenant.log(baseUrl(), 1);
    assertThat(log).doesNotContain(secret);
    assertThat(log).as(build.toString()).contains(RAN_SHOWN);
    assertThat(build.path("status").asString()).as(build.toString()).isIn("succeeded", "failed");
  }

  @Test
  void addFromTheHostsLoopbackItsAddressesOrThePlatformsPortsIsRefused() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          byte[] body = secret.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      int port = server.getAddress().getPort();
      List<String> urls = new ArrayList<>();
      urls.add("http://127.0.0.1:" + port + "/secret");
      urls.add("http://" + hostAddress() + ":" + port + "/secret");
      // the platform's own services: this build-service and tenant-service
      urls.add("http://127.0.0.1:" + this.port + "/actuator/health");
      urls.add(URI.create(TestTenantService.url()).resolve("/actuator/health").toString());
      Tenancy tenant = new Tenancy(TestTenantService.url());
      Path repo = null;
      int number = 0;
      for (String url : urls) {
        String containerfile = "FROM " + STATIC_BASE_IMAGE + "\nADD " + url + " /fetched\n";
        if (repo == null) {
          repo = git.newRepository(work.resolve("add"), Map.of("Containerfile", containerfile));
        } else {
          Files.writeString(repo.resolve("Containerfile"), containerfile);
          commit(repo);
        }
        JsonNode build = push(tenant, repo, ++number);

        assertThat(build.path("status").asString()).as(url).isEqualTo("failed");
        // buildah fetches it outside the egress proxy: the reason says so and what to do instead
        assertThat(build.path("reason").asString())
            .as(url)
            .contains("fetches a URL, which buildah does itself, outside the build's egress proxy")
            .contains("download the file in a RUN step instead");
        String log = tenant.log(baseUrl(), number);
        assertThat(log).as(url).doesNotContain(secret).doesNotContain("\"status\"");
        // the fetch was tried (and failed there), not refused at an earlier step
        assertThat(log).as(url).contains("STEP 2/2: ADD " + url);
      }
      assertThat(requests.get()).as("requests that reached the host's server").isZero();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aCacheIsNeverSharedBetweenTenants() throws Exception {
    String cached = "cached-" + UUID.randomUUID();
    Tenancy owner = new Tenancy(TestTenantService.url());
    Path repo =
        repository(
            "writer",
            "RUN --mount=type=cache,id=shared,target=/c "
                + shellStep(BUSYBOX + " echo " + cached + " > /c/x"));
    JsonNode first = push(owner, repo, 1);
    assertThat(first.path("status").asString()).as(first.toString()).isEqualTo("succeeded");
    String read =
        "RUN --mount=type=cache,id=shared,target=/c "
            + shellStep(
                BUSYBOX
                    + " echo "
                    + RAN
                    + "; "
                    + BUSYBOX
                    + " cat /c/x; "
                    + BUSYBOX
                    + " echo read "
                    + UUID.randomUUID());
    // the tenant's own next build reads it: the cache is kept, for its own builds
    Files.writeString(repo.resolve("Containerfile"), "FROM " + STATIC_BASE_IMAGE + "\n" + read);
    commit(repo);
    JsonNode second = push(owner, repo, 2);
    assertThat(second.path("status").asString()).as(second.toString()).isEqualTo("succeeded");
    assertThat(owner.log(baseUrl(), 2)).contains(cached);

    Tenancy other = new Tenancy(TestTenantService.url());
    JsonNode build = push(other, repository("reader", read), 1);

    assertThat(build.path("status").asString()).as(build.toString()).isEqualTo("succeeded");
    String log = other.log(baseUrl(), 1);
    assertThat(log).doesNotContain(cached);
    // the other tenant's read did run, on a cache of its own
    assertThat(log).contains(RAN_SHOWN);
  }

  @Test
  void fromResolvesOnlyTheTenantsOwnImagesNeverAnotherTenantsByIdOrDigest() throws Exception {
    String mark = "own-layer-" + UUID.randomUUID();
    Tenancy owner = new Tenancy(TestTenantService.url());
    Path ownRepo =
        repository("own", "WORKDIR /w\nRUN " + shellStep(BUSYBOX + " echo " + mark + " > /w/mark"));
    JsonNode built = push(owner, ownRepo, 1);
    assertThat(built.path("status").asString()).as(built.toString()).isEqualTo("succeeded");
    String image = built.path("image").asString();
    String digest = built.path("digest").asString();
    String id = Commands.ok("podman", "image", "inspect", "--format={{.Id}}", image);
    // the tenant's own earlier image is a base its builds may use
    Files.writeString(
        ownRepo.resolve("Containerfile"),
        "FROM " + image + "\nRUN " + shellStep(BUSYBOX + " cat /w/mark"));
    commit(ownRepo);
    JsonNode own = push(owner, ownRepo, 2);
    assertThat(own.path("status").asString()).as(own.toString()).isEqualTo("succeeded");
    assertThat(owner.log(baseUrl(), 2)).contains(mark);

    Tenancy other = new Tenancy(TestTenantService.url());
    Path repo = null;
    List<String> attempts =
        List.of(
            "FROM " + id.substring(0, 12) + "\n",
            "FROM " + id + "\n",
            "FROM " + image.substring(0, image.lastIndexOf(':')) + "@" + digest + "\n",
            "FROM " + image + "\n",
            "FROM " + STATIC_BASE_IMAGE + "\nCOPY --from=" + id.substring(0, 12) + " /w/mark /m\n");
    int number = 0;
    for (String containerfile : attempts) {
      if (repo == null) {
        repo = git.newRepository(work.resolve("other"), Map.of("Containerfile", containerfile));
      } else {
        Files.writeString(repo.resolve("Containerfile"), containerfile);
        commit(repo);
      }
      JsonNode build = push(other, repo, ++number);
      assertThat(build.path("status").asString()).as(containerfile).isEqualTo("failed");
      assertThat(other.log(baseUrl(), number)).as(containerfile).doesNotContain(mark);
    }
  }

  @Test
  void aTenantBuildsAVmImageOnThePlatformsGuestImage() throws Exception {
    // the platform's VM guest is one of the platform images by default (docs/vms.md): a tenant's
    // containerDisk takes its kernel from it and brings its own disk
    String guest = SandboxProperties.VM_GUEST_IMAGE;
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Path repo =
        git.newRepository(
            work.resolve("vm-image"),
            Map.of(
                "Containerfile",
                "FROM scratch\nCOPY --from="
                    + guest
                    + " /boot/ /boot/\nCOPY --chown=107:107 disk.img /disk/disk.img\n",
                "disk.img",
                "a raw disk of the tenant's own\n"));
    JsonNode built = push(tenant, repo, 1);
    assertThat(built.path("status").asString()).as(built.toString()).isEqualTo("succeeded");
    String files =
        Commands.ok(
            "podman",
            "run",
            "--rm",
            "--entrypoint",
            BUSYBOX,
            "--mount",
            "type=image,src=" + built.path("image").asString() + ",dst=/vm",
            STATIC_BASE_IMAGE,
            "stat",
            "-c",
            "%u:%g %n",
            "/vm/disk/disk.img",
            "/vm/boot/vmlinuz",
            "/vm/boot/initrd.img");
    assertThat(files.lines())
        .containsExactly(
            "107:107 /vm/disk/disk.img", "107:107 /vm/boot/vmlinuz", "107:107 /vm/boot/initrd.img");
  }

  @Test
  void aRunStepIsRootOnlyInsideItsOwnNamespaceWithoutNetwork() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> exchange.close());
    server.start();
    String probe = "probe-" + UUID.randomUUID();
    try {
      String b = BUSYBOX;
      Path repo =
          repository(
              "facts",
              "RUN --mount=type=cache,id=probe,target=/c "
                  + shellStep(
                      b
                          + " touch /c/"
                          + probe
                          + "; "
                          + b
                          + " grep CapEff /proc/self/status; "
                          + b
                          + " cat /proc/self/mountinfo; "
                          + b
                          + " nc -w 3 127.0.0.1 "
                          + server.getAddress().getPort()
                          + " </dev/null && echo reached-$((40+2)) || echo refused-$((40+2))"));

      JsonNode build = push(tenant, repo, 1);

      assertThat(build.path("status").asString()).as(build.toString()).isEqualTo("succeeded");
      String log = tenant.log(baseUrl(), 1);
      // root in the step owns what it writes as an unprivileged host uid of the tenant's range
      long uid = ownerOf(tenant, probe);
      assertThat(uid).as("host uid of root in the build").isGreaterThanOrEqualTo(65536);
      assertThat(uid).as("host uid of root in the build").satisfies(inRangeOf(tenant));
      // no capability, not even inside its own namespace
      assertThat(log).contains("CapEff:\t0000000000000000");
      // the host's loopback is not the step's: nothing listens on its own
      assertThat(log).contains("refused-42").doesNotContain("reached-42");
      // no host directory is mounted but the tenant's own: not the repositories, not the host's
      // root
      assertThat(log).doesNotContain(DATA_DIR.resolve(tenant.tenant).toString());
      assertThat(log).doesNotContain(" " + hostRootDevice() + " / ");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void twoTenantsBuildAsHostUidsOfTwoRangesOfTheirOwnAboveTheUidBase() throws Exception {
    String probe = "probe-" + UUID.randomUUID();
    String step =
        "RUN --mount=type=cache,id=probe,target=/c "
            + shellStep(BUSYBOX + " touch /c/" + probe + "; " + BUSYBOX + " echo " + RAN);
    Tenancy first = new Tenancy(TestTenantService.url());
    Tenancy second = new Tenancy(TestTenantService.url());

    JsonNode firstBuild = push(first, repository("first", step), 1);
    JsonNode secondBuild = push(second, repository("second", step), 1);

    assertThat(firstBuild.path("status").asString())
        .as(firstBuild.toString())
        .isEqualTo("succeeded");
    assertThat(secondBuild.path("status").asString())
        .as(secondBuild.toString())
        .isEqualTo("succeeded");
    assertThat(first.log(baseUrl(), 1)).contains(RAN_SHOWN);
    assertThat(second.log(baseUrl(), 1)).contains(RAN_SHOWN);
    long firstUid = ownerOf(first, probe);
    long secondUid = ownerOf(second, probe);
    // root in each build is a host uid of its tenant's own range, above the configured base
    assertThat(firstUid).isGreaterThanOrEqualTo(sandbox.uidBase()).satisfies(inRangeOf(first));
    assertThat(secondUid).isGreaterThanOrEqualTo(sandbox.uidBase()).satisfies(inRangeOf(second));
    // two ranges of 65536 uids that do not overlap
    assertThat(numberOf(first)).isNotEqualTo(numberOf(second));
    assertThat(Math.abs(rangeOf(first) - rangeOf(second))).isGreaterThanOrEqualTo(SandboxRun.RANGE);
  }

  @Test
  void aBuildThatRunsOutOfMemoryIsFailedNamingTheLimit() throws Exception {
    Tenancy tenant = new Tenancy(TestTenantService.url());
    Path repo =
        repository(
            "hungry",
            "RUN [\""
                + BUSYBOX
                + "\", \"dd\", \"if=/dev/zero\", \"of=/dev/null\", \"bs=3000M\","
                + " \"count=1\"]");

    JsonNode build = push(tenant, repo, 1);

    assertThat(build.path("status").asString()).as(build.toString()).isEqualTo("failed");
    assertThat(build.path("reason").asString())
        .startsWith("the build ran out of memory (limit 2048 MiB); the log ends with:\n")
        .contains("STEP 2/2: RUN");
  }

  private Path repository(String name, String step) {
    return git.newRepository(
        work.resolve(name),
        Map.of("Containerfile", "FROM " + STATIC_BASE_IMAGE + "\n" + step + "\n"));
  }

  private void commit(Path repo) {
    git.ok(repo, "add", "-A");
    git.ok(repo, "commit", "-q", "-m", "change");
  }

  private JsonNode push(Tenancy tenant, Path repo, int number) {
    git.ok(
        repo,
        "push",
        "-q",
        "http://git:" + tenant.owner.gitToken() + "@127.0.0.1:" + port + tenant.repositoryPath(),
        "HEAD:main");
    JsonNode build = tenant.awaitEnded(baseUrl(), number);
    if (!build.path("image").isMissingNode() && !build.path("image").isNull()) {
      images.add(build.path("image").asString());
    }
    return build;
  }

  /** The host uid that owns the file {@code name} in the tenant's own sandbox directory. */
  private long ownerOf(Tenancy tenant, String name) throws Exception {
    Path home = DATA_DIR.resolve(".sandbox").resolve("tenants").resolve(numberOf(tenant) + "");
    try (Stream<Path> files = Files.walk(home)) {
      Path written =
          files
              .filter(path -> path.getFileName().toString().equals(name))
              .findFirst()
              .orElseThrow();
      return (Integer) Files.getAttribute(written, "unix:uid");
    }
  }

  /** The first host uid of the tenant's range, as the configuration and its number make it. */
  private long rangeOf(Tenancy tenant) {
    return sandbox.uidBase() + numberOf(tenant) * SandboxRun.RANGE;
  }

  private Consumer<Long> inRangeOf(Tenancy tenant) {
    long first = rangeOf(tenant);
    return uid -> assertThat(uid).isBetween(first, first + SandboxRun.RANGE - 1);
  }

  private long numberOf(Tenancy tenant) {
    return tenants.find(tenant.ids().tenantId()).orElseThrow();
  }

  /** A RUN step in exec form: the base has no /bin/sh, only busybox. */
  /** The major:minor of the host's root file system, as mountinfo shows it. */
  private static String hostRootDevice() throws Exception {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .map(line -> line.split(" "))
        .filter(fields -> fields[4].equals("/"))
        .map(fields -> fields[2])
        .reduce((first, last) -> last)
        .orElseThrow();
  }

  private static String hostAddress() throws Exception {
    return NetworkInterface.networkInterfaces()
        .filter(nic -> !isLoopback(nic))
        .flatMap(NetworkInterface::inetAddresses)
        .filter(address -> address instanceof Inet4Address)
        .map(InetAddress::getHostAddress)
        .findFirst()
        .orElseThrow();
  }

  private static boolean isLoopback(NetworkInterface nic) {
    try {
      return nic.isLoopback() || !nic.isUp();
    } catch (java.net.SocketException e) {
      return true;
    }
  }
}
