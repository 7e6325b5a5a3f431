package io.slipway.build.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.slipway.build.queue.AppRef;
import io.slipway.build.queue.Build;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Commands;
import io.slipway.build.support.Json;
import io.slipway.build.support.Tenancy;
import io.slipway.kit.client.BuildService;
import io.slipway.kit.client.ServiceClients;
import io.slipway.testing.GitCli;
import io.slipway.testing.TestKeycloak;
import io.slipway.testing.TestPlatform;
import io.slipway.testing.TestRegistry;
import io.slipway.testing.TestTenantService;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.HttpClientErrorException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A build Job's pod, as {@link BuildJobRenderer} renders it, run for real with {@code podman kube
 * play} (no cluster here) against this build-service and Debian's registry with token auth: its
 * init steps fetch the one-time context URL, buildah builds it, and the push step pushes with the
 * build's own credential to the build's repository, which the tenant's robot then reads and another
 * tenant's cannot. And the context endpoint itself: one use, expiry, and a token never yielding
 * another build's tree.
 *
 * <p>The pod and this JVM meet on podman's bridge network: build-service and the registry listen on
 * its gateway address, which the pod reaches as a cluster's pods reach a Service. Two {@code podman
 * kube play} options stand in for what a cluster does, the pod spec itself is played as rendered:
 * {@code --network podman} (that bridge), and {@code --userns=auto:uidmapping=...} because Podman
 * maps {@code hostUsers: false} to {@code --userns=auto}, which needs a subordinate id range for
 * the user {@code containers} that this machine does not have: the explicit mapping gives the pod
 * the same thing, a user namespace of its own on an unused host range.
 */
class BuildJobPodIT extends BuildServiceTest {

  private static final String GATEWAY = bridgeGateway();
  private static final int SERVICE_PORT = Commands.freePort();
  private static final int REGISTRY_PORT = Commands.freePort();
  private static final Path CERT = DATA_DIR.resolve("build-job-pod-test/root-cert.pem");
  private static final String REGISTRY = GATEWAY + ":" + REGISTRY_PORT;
  private static final long POD_UID_BASE = 3_500_000_000L;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static TestRegistry registry;

  @TempDir Path work;
  @Autowired BuildJobs buildJobs;
  @Autowired BuildQueue queue;
  @Autowired KubernetesBuildProperties settings;
  @Autowired JdbcClient jdbc;

  @DynamicPropertySource
  static void podNetwork(DynamicPropertyRegistry properties) {
    // the context URL names build-service's port, so it is chosen here rather than at random
    properties.add("server.port", () -> SERVICE_PORT);
    // no podman worker takes the pushed builds: the build pod is what builds them here
    properties.add("slipway.build.workers", () -> "0");
    properties.add(
        "slipway.build.kubernetes.context-url", () -> "http://" + GATEWAY + ":" + SERVICE_PORT);
    properties.add("slipway.build.registry.url", () -> REGISTRY);
    properties.add("slipway.build.registry.tls-verify", () -> "false");
    properties.add("slipway.build.registry.auth.enabled", () -> "true");
    properties.add(
        "slipway.build.registry.auth.platform-password", () -> "platform-secret-of-this-test");
    properties.add("slipway.build.registry.auth.root-cert-bundle", CERT::toString);
  }

  @BeforeEach
  void startRegistry() {
    if (registry == null) {
      registry =
          TestRegistry.startWithTokenAuth(
              GATEWAY,
              REGISTRY_PORT,
              new TestRegistry.TokenAuth(
                  "http://" + GATEWAY + ":" + SERVICE_PORT + "/v2/token",
                  "slipway-registry",
                  "slipway-build",
                  CERT));
    }
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void theRenderedPodFetchesItsContextBuildsItAndPushesWithTheBuildsOwnCredential()
      throws Exception {
    Tenancy a = new Tenancy(TestTenantService.url());
    Tenancy b = new Tenancy(TestTenantService.url());
    Build build = pushed(a, busyboxRepository(new GitCli(work), work));
    String image = REGISTRY + "/" + build.ids().path() + ":" + build.commitId();
    BuildJob job = buildJobs.of(build, "Containerfile", image, 512, 1000, Duration.ofMinutes(5));
    BuildJobRenderer renderer = new BuildJobRenderer(settings);
    // the API server gives the Job its uid, which the Secret's owner reference names
    Job created =
        new JobBuilder(renderer.render(job))
            .editMetadata()
            .withUid(UUID.randomUUID().toString())
            .endMetadata()
            .build();
    Secret secret = renderer.registrySecret(job, created).orElseThrow();
    // what the kubelet would mount from the Secret (see asPodmanPlaysIt)
    Path registryAuth = Files.createDirectories(work.resolve("registry-auth"));
    secret
        .getData()
        .forEach(
            (key, value) -> write(registryAuth.resolve(key), Base64.getDecoder().decode(value)));
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(job.jobName())
            .withLabels(created.getSpec().getTemplate().getMetadata().getLabels())
            .endMetadata()
            .withSpec(asPodmanPlaysIt(created.getSpec().getTemplate().getSpec(), job, registryAuth))
            .build();
    Path yaml = work.resolve("build-pod.yaml");
    Files.writeString(yaml, Serialization.asYaml(pod));
    try {
      // init containers (fetch, unpack, build) run to completion inside kube play: a failing
      // step fails it
      Commands.Result played =
          Commands.run(
              "podman",
              "kube",
              "play",
              "--network=podman",
              "--userns=auto:uidmapping=0:"
                  + POD_UID_BASE
                  + ":65536,gidmapping=0:"
                  + POD_UID_BASE
                  + ":65536",
              yaml.toString());
      assertThat(played.exitCode()).as(played.output()).isZero();
      String push = job.jobName() + "-push";
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  Commands.run("podman", "inspect", "--format", "{{.State.Status}}", push)
                      .output()
                      .strip()
                      .equals("exited"));
      String log = Commands.run("podman", "logs", push).output();
      assertThat(Commands.ok("podman", "inspect", "--format", "{{.State.ExitCode}}", push).strip())
          .as(log)
          .isEqualTo("0");

      // the context was the commit's: the image has the Containerfile's user and command
      String readerA = robot(a, "reader");
      Commands.Result config =
          Commands.run(
              "skopeo",
              "inspect",
              "--config",
              "--tls-verify=false",
              "--creds=" + readerA,
              "docker://" + image);
      assertThat(config.exitCode()).as(config.output()).isZero();
      assertThat(config.output()).contains("65534").contains("/bin/busybox");
      // another tenant's robot cannot read it, nor the build's credential another repository
      Commands.Result other =
          Commands.run(
              "skopeo",
              "inspect",
              "--raw",
              "--tls-verify=false",
              "--creds=" + robot(b, "reader"),
              "docker://" + image);
      assertThat(other.exitCode()).as(other.output()).isNotZero();
      assertThat(other.output()).containsAnyOf("unauthorized", "denied", "authentication required");
      Commands.Result elsewhere =
          Commands.run(
              "skopeo",
              "copy",
              "--src-tls-verify=false",
              "--dest-tls-verify=false",
              "--src-creds=" + readerA,
              "--dest-creds=" + job.pushLogin().username() + ":" + job.pushLogin().password(),
              "docker://" + image,
              "docker://" + REGISTRY + "/" + b.ids().path() + ":stolen");
      assertThat(elsewhere.exitCode()).as(elsewhere.output()).isNotZero();

      projectPullCredentialsPullOnlyTheirTenantsImages(a, b, image, readerA);

      // the pod used its context URL up
      assertThat(get(job.contextUrl().toString().replace(GATEWAY, "127.0.0.1")).statusCode())
          .isEqualTo(404);
    } finally {
      Commands.run("podman", "kube", "down", yaml.toString());
      Commands.run("podman", "pod", "rm", "-f", "-t", "0", job.jobName());
      pod.getSpec().getVolumes().stream()
          .filter(v -> v.getEmptyDir() != null)
          .forEach(v -> Commands.run("podman", "volume", "rm", "-f", v.getName()));
    }
  }

  @Test
  void aContextTokenYieldsItsOwnBuildsCommitOnceAndOnlyBeforeItExpires() throws Exception {
    Tenancy a = new Tenancy(TestTenantService.url());
    Tenancy b = new Tenancy(TestTenantService.url());
    GitCli git = new GitCli(work);
    Path repoA =
        git.newRepository(
            Files.createDirectories(work.resolve("a")),
            Map.of(
                "Containerfile",
                "FROM scratch\nCOPY a.txt /\n",
                "a.txt",
                "tenant a\n",
                "run.sh",
                "#!/bin/sh\n"));
    Files.setPosixFilePermissions(
        repoA.resolve("run.sh"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(repoA.resolve("leak"), Path.of("/etc/passwd"));
    git.ok(repoA, "add", "-A");
    git.ok(repoA, "commit", "-q", "-m", "a symlink and an executable");
    Path repoB =
        git.newRepository(
            Files.createDirectories(work.resolve("b")),
            Map.of("Containerfile", "FROM scratch\nCOPY b.txt /\n", "b.txt", "tenant b\n"));
    Build buildA = pushed(a, repoA);
    Build buildB = pushed(b, repoB);
    URI urlA = contextUrl(buildA);
    URI urlB = contextUrl(buildB);

    HttpResponse<byte[]> first = get(urlA.toString());
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Type")).hasValue("application/gzip");
    Map<String, TarArchiveEntry> entries = new HashMap<>();
    Map<String, String> contents = new HashMap<>();
    untar(first.body(), entries, contents);
    // the commit's regular files and executables, never its symbolic link
    assertThat(entries.keySet()).containsExactlyInAnyOrder("Containerfile", "a.txt", "run.sh");
    assertThat(contents.get("a.txt")).isEqualTo("tenant a\n");
    assertThat(entries.get("run.sh").getMode() & 0777).isEqualTo(0755);
    assertThat(entries.get("a.txt").getMode() & 0777).isEqualTo(0644);

    // replayed: gone, and as gone as a token that never was
    String unknownUrl = baseUrl() + BuildContexts.PATH + "A".repeat(43);
    HttpResponse<byte[]> replay = get(urlA.toString());
    HttpResponse<byte[]> unknown = get(unknownUrl);
    HttpResponse<byte[]> malformed = get(baseUrl() + BuildContexts.PATH + "not-a-token");
    assertThat(replay.statusCode()).isEqualTo(404);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(malformed.statusCode()).isEqualTo(404);
    assertThat(shown(replay, urlA.toString())).isEqualTo(shown(unknown, unknownUrl));

    // B's token yields B's commit, never A's
    Map<String, String> bContents = new HashMap<>();
    untar(get(urlB.toString()).body(), new HashMap<>(), bContents);
    assertThat(bContents).containsOnlyKeys("Containerfile", "b.txt");
    assertThat(bContents.get("b.txt")).isEqualTo("tenant b\n");

    // and the API document, which scripts read, does not offer it
    assertThat(new String(get(baseUrl() + "/v3/api-docs").body(), StandardCharsets.UTF_8))
        .contains("/api/v1/tenants/")
        .doesNotContain("build-context");

    // an expired token is the same 404, even unused
    URI expiring = contextUrl(buildA);
    jdbc.sql(
            "update build_context_token set expires_at = now() - interval '1 second' where used_at is null and build_id = ?")
        .param(buildA.id())
        .update();
    HttpResponse<byte[]> expired = get(expiring.toString());
    assertThat(expired.statusCode()).isEqualTo(404);
    assertThat(shown(expired, expiring.toString())).isEqualTo(shown(unknown, unknownUrl));
  }

  @Test
  void aBuildPodsPushCredentialGetsItsOwnRepositoryUntilItExpires() throws Exception {
    Tenancy a = new Tenancy(TestTenantService.url());
    Build build = pushed(a, busyboxRepository(new GitCli(work), work));
    BuildJob job =
        buildJobs.of(
            build,
            "Containerfile",
            REGISTRY + "/" + build.ids().path() + ":1",
            512,
            500,
            Duration.ofMinutes(5));
    String own = "repository:" + build.ids().path() + ":pull,push";
    String sibling =
        "repository:" + build.ids().tenantId() + "/" + build.ids().projectId() + "/other:push";

    RegistryToken granted = token(job, own, sibling);
    assertThat(granted.status()).isEqualTo(200);
    assertThat(granted.claims().path("sub").asString()).isEqualTo("job." + build.id());
    assertThat(granted.claims().path("access")).hasSize(1);
    assertThat(granted.claims().path("access").get(0).path("name").asString())
        .isEqualTo(build.ids().path());

    jdbc.sql(
            "update build_push_credential set expires_at = now() - interval '1 second'"
                + " where build_id = ?")
        .param(build.id())
        .update();
    assertThat(token(job, own).status()).isEqualTo(401);
  }

  /**
   * What the kubernetes driver puts in a project's namespace as its pull Secret (issue 21), asked
   * for as runtime-bridge asks: A's pulls A's image by digest and can push nothing, not even to A's
   * repository; B's cannot pull A's image; and A's project cannot be given B's credential.
   */
  private void projectPullCredentialsPullOnlyTheirTenantsImages(
      Tenancy a, Tenancy b, String image, String readerA) {
    String digest =
        Commands.ok(
                "skopeo",
                "inspect",
                "--tls-verify=false",
                "--creds=" + readerA,
                "--format",
                "{{.Digest}}",
                "docker://" + image)
            .strip();
    String byDigest = image.substring(0, image.lastIndexOf(':')) + "@" + digest;
    BuildService.PullCredential pullA = asBridge().pullCredential(request(a));
    BuildService.PullCredential pullB = asBridge().pullCredential(request(b));
    assertThat(pullA.registry()).isEqualTo(REGISTRY);
    assertThat(pullA.username()).isEqualTo("pull." + a.ids().projectId());

    Commands.Result pulled =
        Commands.run(
            "skopeo",
            "inspect",
            "--raw",
            "--tls-verify=false",
            "--creds=" + login(pullA),
            "docker://" + byDigest);
    assertThat(pulled.exitCode()).as(pulled.output()).isZero();
    Commands.Result stolen =
        Commands.run(
            "skopeo",
            "inspect",
            "--raw",
            "--tls-verify=false",
            "--creds=" + login(pullB),
            "docker://" + byDigest);
    assertThat(stolen.exitCode()).as(stolen.output()).isNotZero();
    assertThat(stolen.output()).containsAnyOf("unauthorized", "denied", "authentication required");
    Commands.Result pushed =
        Commands.run(
            "skopeo",
            "copy",
            "--src-tls-verify=false",
            "--dest-tls-verify=false",
            "--src-creds=" + login(pullA),
            "--dest-creds=" + login(pullA),
            "docker://" + byDigest,
            "docker://" + image.substring(0, image.lastIndexOf(':')) + ":overwritten");
    assertThat(pushed.exitCode()).as(pushed.output()).isNotZero();

    // a project stays its tenant's: asked for under another tenant's id, nothing is issued
    assertThatThrownBy(
            () ->
                asBridge()
                    .pullCredential(
                        new BuildService.PullCredentialRequest(
                            b.ids().tenantId(), a.ids().projectId())))
        .isInstanceOf(HttpClientErrorException.Conflict.class);
    assertThat(
            Commands.run(
                    "skopeo",
                    "inspect",
                    "--raw",
                    "--tls-verify=false",
                    "--creds=" + login(pullA),
                    "docker://" + byDigest)
                .exitCode())
        .as("the refused request left A's credential as it was")
        .isZero();
    // only runtime-bridge's service token gets one, not even build-service's own, nor a tenant's
    assertThatThrownBy(
            () ->
                ServiceClients.create(
                        BuildService.class,
                        URI.create(baseUrl()),
                        () -> TestKeycloak.serviceToken("build-service"))
                    .pullCredential(request(a)))
        .isInstanceOf(HttpClientErrorException.Forbidden.class);
    assertThatThrownBy(
            () ->
                ServiceClients.create(BuildService.class, URI.create(baseUrl()), a.owner::jwt)
                    .pullCredential(request(a)))
        .isInstanceOf(HttpClientErrorException.Forbidden.class);
  }

  private BuildService asBridge() {
    return ServiceClients.create(
        BuildService.class,
        URI.create(baseUrl()),
        () -> TestKeycloak.serviceToken("runtime-bridge"));
  }

  private static BuildService.PullCredentialRequest request(Tenancy tenancy) {
    return new BuildService.PullCredentialRequest(
        tenancy.ids().tenantId(), tenancy.ids().projectId());
  }

  private static String login(BuildService.PullCredential credential) {
    return credential.username() + ":" + credential.password();
  }

  /** A registry token's answer: its status and, when issued, the token's claims. */
  private record RegistryToken(int status, JsonNode claims) {}

  private RegistryToken token(BuildJob job, String... scopes) throws Exception {
    StringBuilder url = new StringBuilder(baseUrl() + "/v2/token?service=slipway-registry");
    for (String scope : scopes) {
      url.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
    }
    String credentials = job.pushLogin().username() + ":" + job.pushLogin().password();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(url.toString()))
                  .header(
                      "Authorization",
                      "Basic "
                          + Base64.getEncoder()
                              .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        return new RegistryToken(answer.statusCode(), null);
      }
      String token = JSON.readTree(answer.body()).path("token").asString();
      return new RegistryToken(
          200, JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
    }
  }

  private Build pushed(Tenancy tenancy, Path repo) {
    tenancy.push(new GitCli(work), repo, port);
    return queue.find(new AppRef(tenancy.tenant, tenancy.project, tenancy.app), 1).orElseThrow();
  }

  private String robot(Tenancy tenancy, String name) {
    Json.Response made =
        Json.post(
            tenancy.owner.jwt(),
            baseUrl() + "/api/v1/tenants/" + tenancy.tenant + "/registry-robots",
            Map.of("name", name));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    return made.json().path("username").asString() + ":" + made.json().path("password").asString();
  }

  /** A newly issued context URL of {@code build}, as this JVM reaches it. */
  private URI contextUrl(Build build) {
    String image = REGISTRY + "/" + build.ids().path() + ":1";
    return local(
        buildJobs.of(build, "Containerfile", image, 512, 500, Duration.ofMinutes(5)).contextUrl());
  }

  /** The context URL as this JVM reaches it (the pod's address is the bridge's gateway). */
  private URI local(URI url) {
    assertThat(url.toString())
        .startsWith("http://" + GATEWAY + ":" + SERVICE_PORT + BuildContexts.PATH);
    return URI.create(url.toString().replace(GATEWAY, "127.0.0.1"));
  }

  /**
   * The rendered pod spec with what Podman 4.3 plays differently from a kubelet changed, and
   * nothing else: it mounts a Secret's values base64-encoded where Kubernetes mounts them decoded,
   * so the registry-auth volume's source is a directory holding the rendered Secret's decoded key
   * under its own name, as the kubelet would mount it; and it makes each emptyDir a named volume
   * that outlives the pod and is shared by every pod naming it so, so each gets the pod's name in
   * front (mounts renamed alike) and is removed after.
   */
  private static PodSpec asPodmanPlaysIt(PodSpec rendered, BuildJob job, Path registryAuth) {
    String prefix = job.jobName() + "-";
    List<Volume> volumes =
        rendered.getVolumes().stream()
            .map(
                v ->
                    v.getEmptyDir() != null
                        ? new VolumeBuilder(v).withName(prefix + v.getName()).build()
                        : v.getName().equals("registry-auth")
                            ? new VolumeBuilder(v)
                                .withSecret(null)
                                .withNewHostPath()
                                .withPath(registryAuth.toString())
                                .withType("Directory")
                                .endHostPath()
                                .build()
                            : v)
            .toList();
    List<String> emptyDirs =
        rendered.getVolumes().stream()
            .filter(v -> v.getEmptyDir() != null)
            .map(Volume::getName)
            .toList();
    UnaryOperator<Container> renamed =
        c ->
            new ContainerBuilder(c)
                .withVolumeMounts(
                    c.getVolumeMounts().stream()
                        .map(
                            m ->
                                emptyDirs.contains(m.getName())
                                    ? new VolumeMountBuilder(m)
                                        .withName(prefix + m.getName())
                                        .build()
                                    : m)
                        .toList())
                .build();
    return new PodSpecBuilder(rendered)
        .withVolumes(volumes)
        .withInitContainers(rendered.getInitContainers().stream().map(renamed).toList())
        .withContainers(rendered.getContainers().stream().map(renamed).toList())
        .build();
  }

  private static void write(Path file, byte[] content) {
    try {
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A 404's body without the request's own path, which a problem's {@code instance} repeats. */
  private static String shown(HttpResponse<byte[]> response, String url) {
    return new String(response.body(), StandardCharsets.UTF_8)
        .replace(URI.create(url).getPath(), "<path>");
  }

  private static HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
          HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
  }

  private static void untar(
      byte[] gzip, Map<String, TarArchiveEntry> entries, Map<String, String> contents)
      throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(gzip)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        entries.put(entry.getName(), entry);
        contents.put(entry.getName(), new String(tar.readAllBytes()));
      }
    }
  }

  /** The gateway of podman's default bridge network: an address of this machine the pod reaches. */
  private static String bridgeGateway() {
    String gateway =
        Commands.ok(
                "podman",
                "network",
                "inspect",
                "podman",
                "--format",
                "{{range .Subnets}}{{.Gateway}}{{end}}")
            .strip();
    assertThat(gateway).matches("[0-9.]+");
    if (!isLocal(gateway)) {
      // the bridge is made when a first container joins the network, which on a fresh machine
      // may not have happened yet; it stays afterwards
      Commands.ok(
          "podman",
          "run",
          "--rm",
          "--network",
          "podman",
          "--entrypoint",
          "/bin/busybox",
          TestPlatform.STATIC_STACK,
          "true");
    }
    assertThat(isLocal(gateway)).as("podman's bridge %s is up", gateway).isTrue();
    return gateway;
  }

  private static boolean isLocal(String address) {
    try {
      return NetworkInterface.getByInetAddress(InetAddress.getByName(address)) != null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
