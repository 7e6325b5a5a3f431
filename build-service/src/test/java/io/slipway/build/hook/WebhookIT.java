package io.slipway.build.hook;

import static io.slipway.testing.SignedDeliveries.hmac;
import static io.slipway.testing.SignedDeliveries.push;
import static io.slipway.testing.SignedDeliveries.signed;
import static io.slipway.testing.SignedDeliveries.withoutInstance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.build.support.BuildServiceTest;
import io.slipway.build.support.Json;
import io.slipway.build.support.Tenancy;
import io.slipway.testing.GitCli;
import io.slipway.testing.SignedDeliveries;
import io.slipway.testing.TestTenantService;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook deliveries from each provider for an external-git app whose repository is a local bare
 * repository ({@code file://}): signatures checked against the real secret API, the pushed commit
 * fetched with JGit and queued once per delivery, and one delivery built and run end to end.
 */
class WebhookIT extends BuildServiceTest {

  private static final String CONTAINERFILE =
      """
      FROM scratch
      COPY busybox /bin/busybox
      COPY www /www
      USER 65534
      CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]
      """;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path work;
  private GitCli git;
  private Tenancy tenancy;
  private Path external;
  private Path checkout;
  private String commit;
  private final List<String> containers = new ArrayList<>();
  private final List<String> images = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    git = new GitCli(work);
    tenancy = new Tenancy(TestTenantService.url());
    external = work.resolve("external.git");
    Files.createDirectories(external);
    git.ok(external, "init", "-q", "--bare", "-b", "main");
    checkout = work.resolve("checkout");
    Files.createDirectories(checkout);
    Files.copy(Path.of("/bin/busybox"), checkout.resolve("busybox"));
    git.newRepository(
        checkout,
        Map.of("Containerfile", CONTAINERFILE, "www/index.html", "<h1>from a webhook</h1>"));
    git.ok(checkout, "push", "-q", external.toString(), "main");
    commit = git.ok(checkout, "rev-parse", "HEAD");
    createApp("ext", "external-git", external.toUri().toString());
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (String container : containers) {
      run("podman", "rm", "-f", "-t", "0", container);
    }
    for (String image : images) {
      run("buildah", "rmi", "-f", image);
    }
  }

  @Test
  void aDeveloperReadsTheSecretGeneratedOnFirstUseAndRotatesIt() throws Exception {
    Json.Response first = Json.get(tenancy.owner.jwt(), webhookApi("ext"));
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    String secret = first.json().path("secret").asString();
    assertThat(secret).matches("[0-9a-f]{64}");
    assertThat(first.json().path("url").asString())
        .isEqualTo("http://builds.example.test/hooks/" + tenancy.tenant + "/web/ext");
    assertThat(Json.get(tenancy.owner.jwt(), webhookApi("ext")).json().path("secret").asString())
        .isEqualTo(secret);

    Tenancy.User developer = tenancy.member("developer");
    Json.Response rotated = Json.post(developer.jwt(), webhookApi("ext"), null);
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    assertThat(rotated.json().path("secret").asString())
        .matches("[0-9a-f]{64}")
        .isNotEqualTo(secret);
    // the rotation is in the tenant's audit trail, by whom and from where, without any secret
    Json.Response trail =
        Json.get(
            tenancy.owner.jwt(),
            TestTenantService.url()
                + "/api/v1/tenants/"
                + tenancy.tenant
                + "/audit?action=webhook-secret.rotated");
    assertThat(trail.status()).as(trail.body()).isEqualTo(200);
    JsonNode event = trail.json().path("items").get(0);
    assertThat(event.path("actor").asString()).isEqualTo(developer.name());
    assertThat(event.path("target").asString()).isEqualTo(tenancy.tenant + "/web/ext");
    assertThat(event.path("recordedBy").asString()).isEqualTo("build-service");
    assertThat(event.path("sourceIp").asString()).isNotBlank();
    assertThat(trail.body())
        .doesNotContain(secret)
        .doesNotContain(rotated.json().path("secret").asString());
    // the old secret no longer verifies
    assertThat(deliver("ext", github(push("refs/heads/main", commit), secret, "d-1")).statusCode())
        .isEqualTo(401);

    Json.Response viewer = Json.get(tenancy.member("viewer").jwt(), webhookApi("ext"));
    assertThat(viewer.status()).isEqualTo(403);
    assertThat(viewer.json().path("type").asString()).endsWith("/forbidden");
    assertThat(Json.get(tenancy.user("outsider").jwt(), webhookApi("ext")).status()).isEqualTo(404);
    Json.Response hosted = Json.get(tenancy.owner.jwt(), webhookApi("site"));
    assertThat(hosted.status()).isEqualTo(422);
    assertThat(hosted.json().path("type").asString()).endsWith("/not-external-git");
  }

  @Test
  void eachProviderIsVerifiedAndQueuesThePushedCommitOncePerDelivery() throws Exception {
    setProjectConcurrentBuilds(0); // the builds stay queued: this test is about deliveries
    String secret = secret("ext");
    String body = push("refs/heads/main", commit);

    Map<String, HttpRequest.Builder> good = new LinkedHashMap<>();
    good.put("github", github(body, secret, "gh-1"));
    good.put("gitlab", gitlab(body, secret, "gl-1"));
    good.put("gitea", gitea(body, secret, "gt-1"));
    good.put("generic", generic(body, secret, "g-1"));
    Map<String, HttpRequest.Builder> bad = new LinkedHashMap<>();
    bad.put("github", github(body, "wrong", "gh-1"));
    bad.put("gitlab", gitlab(body, "wrong", "gl-1"));
    bad.put("gitea", gitea(body, "wrong", "gt-1"));
    bad.put("generic", generic(body, "wrong", "g-1"));

    for (var delivery : bad.entrySet()) {
      HttpResponse<String> response = deliver("ext", delivery.getValue());
      assertThat(response.statusCode()).as(delivery.getKey()).isEqualTo(401);
      assertThat(JSON.readTree(response.body()).path("type").asString()).endsWith("/bad-signature");
    }
    assertThat(builds("ext").path("total").asLong()).isZero();

    int number = 0;
    for (var delivery : good.entrySet()) {
      HttpResponse<String> response = deliver("ext", delivery.getValue());
      assertThat(response.statusCode()).as(delivery.getKey() + response.body()).isEqualTo(202);
      JsonNode outcome = JSON.readTree(response.body());
      assertThat(outcome.path("status").asString()).isEqualTo("queued");
      assertThat(outcome.path("build").asInt()).isEqualTo(++number);
      assertThat(outcome.path("commitId").asString()).isEqualTo(commit);
      JsonNode build =
          Json.get(tenancy.owner.jwt(), baseUrl() + buildsPath("ext") + "/" + number).json();
      assertThat(build.path("commitId").asString()).isEqualTo(commit);
      assertThat(build.path("ref").asString()).isEqualTo("refs/heads/main");
      assertThat(build.path("pushedBy").asString()).startsWith(delivery.getKey() + " webhook");
    }

    // redeliveries answer the first build and queue nothing
    HttpResponse<String> again = deliver("ext", github(body, secret, "gh-1"));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(again.body()).path("status").asString()).isEqualTo("duplicate");
    assertThat(JSON.readTree(again.body()).path("build").asInt()).isEqualTo(1);
    assertThat(deliver("ext", generic(body, secret, null)).statusCode()).isEqualTo(202);
    assertThat(deliver("ext", generic(body, secret, null)).statusCode()).isEqualTo(200);
    assertThat(builds("ext").path("total").asLong()).isEqualTo(5);
  }

  @Test
  void otherBranchesOtherEventsAndBadDeliveriesGetClearAnswers() throws Exception {
    String secret = secret("ext");

    HttpResponse<String> branch =
        deliver("ext", github(push("refs/heads/feature", commit), secret, "b-1"));
    assertThat(branch.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(branch.body()).path("status").asString()).isEqualTo("ignored");
    assertThat(JSON.readTree(branch.body()).path("reason").asString())
        .isEqualTo(
            "a push to refs/heads/feature is not built: only pushes to the deploy branch"
                + " refs/heads/main are");

    HttpResponse<String> ping =
        deliver(
            "ext", github("{\"zen\":\"hi\"}", secret, "p-1").setHeader("X-GitHub-Event", "ping"));
    assertThat(ping.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(ping.body()).path("reason").asString())
        .isEqualTo("the ping event is not a push");

    HttpResponse<String> malformed = deliver("ext", github("{\"ref\":", secret, "m-1"));
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(malformed.body()).path("type").asString())
        .endsWith("/malformed-request");

    HttpResponse<String> unknownCommit =
        deliver("ext", github(push("refs/heads/main", "b".repeat(40)), secret, "u-1"));
    assertThat(unknownCommit.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(unknownCommit.body()).path("type").asString())
        .endsWith("/commit-not-found");

    // an app that does not exist answers exactly like a wrong signature: no oracle
    HttpResponse<String> badSignature =
        deliver("ext", github(push("refs/heads/main", commit), "not-the-secret", "b-1"));
    assertThat(badSignature.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(badSignature.body()).path("type").asString())
        .endsWith("/bad-signature");
    for (String elsewhere :
        List.of("/hooks/" + tenancy.tenant + "/web/nope", "/hooks/no-such-tenant/web/ext")) {
      HttpResponse<String> unknown =
          send(elsewhere, github(push("refs/heads/main", commit), secret, "n-1"));
      assertThat(unknown.statusCode()).as(elsewhere).isEqualTo(401);
      assertThat(withoutInstance(unknown.body())).isEqualTo(withoutInstance(badSignature.body()));
    }

    HttpResponse<String> unsigned =
        deliver(
            "ext",
            HttpRequest.newBuilder()
                .POST(HttpRequest.BodyPublishers.ofString(push("refs/heads/main", commit))));
    assertThat(unsigned.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(unsigned.body()).path("type").asString())
        .endsWith("/missing-signature");

    createApp("ssh", "external-git", "ssh://git@127.0.0.1/repo.git");
    HttpResponse<String> scheme =
        deliver("ssh", github(push("refs/heads/main", commit), secret("ssh"), "s-1"));
    assertThat(scheme.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(scheme.body()).path("type").asString())
        .endsWith("/source-not-allowed");

    createApp("fresh", "external-git", external.toUri().toString());
    HttpResponse<String> noSecret =
        deliver("fresh", github(push("refs/heads/main", commit), secret, "f-1"));
    assertThat(noSecret.statusCode()).isEqualTo(401);
    assertThat(withoutInstance(noSecret.body())).isEqualTo(withoutInstance(badSignature.body()));

    assertThat(builds("ext").path("total").asLong()).isZero();
  }

  @Test
  void aGitHubPushBuildsThePushedCommitIntoAnImageThatServesTheSite() throws Exception {
    // a second commit, so that the build is of exactly the pushed commit, not an older one
    Files.writeString(checkout.resolve("www/index.html"), "<h1>second commit</h1>");
    git.ok(checkout, "commit", "-q", "-am", "second");
    git.ok(checkout, "push", "-q", external.toString(), "main");
    String second = git.ok(checkout, "rev-parse", "HEAD");
    String image = tenancy.image(IMAGE_PREFIX, "ext") + ":" + second;
    images.add(image);

    HttpResponse<String> response =
        deliver("ext", github(push("refs/heads/main", second), secret("ext"), "e2e-1"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);

    JsonNode[] build = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              build[0] = Json.get(tenancy.owner.jwt(), baseUrl() + buildsPath("ext") + "/1").json();
              String status = build[0].path("status").asString();
              return status.equals("succeeded") || status.equals("failed");
            });
    assertThat(build[0].path("status").asString()).as(build[0].toString()).isEqualTo("succeeded");
    assertThat(build[0].path("image").asString()).isEqualTo(image);
    assertThat(build[0].path("digest").asString()).startsWith("sha256:");

    int port = freePort();
    String container = "slipway-build-test-" + UUID.randomUUID().toString().substring(0, 8);
    containers.add(container);
    run("podman", "run", "-d", "--name", container, "-p", "127.0.0.1:" + port + ":8080", image);
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        HTTP.send(
                                HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/index.html"))
                                    .build(),
                                HttpResponse.BodyHandlers.ofString())
                            .body())
                    .contains("<h1>second commit</h1>"));
  }

  private static HttpRequest.Builder github(String body, String secret, String delivery) {
    return SignedDeliveries.github("push", body, secret, delivery);
  }

  private static HttpRequest.Builder gitlab(String body, String secret, String delivery) {
    return SignedDeliveries.gitlab("Push Hook", body, secret, delivery);
  }

  private static HttpRequest.Builder gitea(String body, String secret, String delivery) {
    return SignedDeliveries.gitea("push", body, secret, delivery);
  }

  private static HttpRequest.Builder generic(String body, String secret, String delivery) {
    HttpRequest.Builder request =
        signed(body).header("X-Slipway-Signature", "sha256=" + hmac(secret, body));
    return delivery == null ? request : request.header("X-Slipway-Delivery", delivery);
  }

  private HttpResponse<String> deliver(String app, HttpRequest.Builder request) throws Exception {
    return send("/hooks/" + tenancy.tenant + "/web/" + app, request);
  }

  private HttpResponse<String> send(String path, HttpRequest.Builder request) throws Exception {
    return HTTP.send(
        request.uri(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void createApp(String name, String source, String sourceRef) {
    Json.Response created =
        Json.post(
            tenancy.owner.jwt(),
            TestTenantService.url() + "/api/v1/tenants/" + tenancy.tenant + "/projects/web/apps",
            Map.of("name", name, "source", source, "sourceRef", sourceRef));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
  }

  private String secret(String app) {
    Json.Response response = Json.get(tenancy.owner.jwt(), webhookApi(app));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().path("secret").asString();
  }

  private JsonNode builds(String app) {
    return Json.get(tenancy.owner.jwt(), baseUrl() + buildsPath(app)).json();
  }

  private String buildsPath(String app) {
    return "/api/v1/tenants/" + tenancy.tenant + "/projects/web/apps/" + app + "/builds";
  }

  private String webhookApi(String app) {
    return baseUrl()
        + "/api/v1/tenants/"
        + tenancy.tenant
        + "/projects/web/apps/"
        + app
        + "/webhook";
  }

  private void setProjectConcurrentBuilds(int limit) {
    Json.Response set =
        Json.put(
            tenancy.owner.jwt(),
            TestTenantService.url() + "/api/v1/tenants/" + tenancy.tenant + "/projects/web/quota",
            Map.of("concurrentBuilds", limit));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    process.waitFor();
    return output;
  }
}
