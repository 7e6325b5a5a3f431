package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.driver.Instance;
import io.slipway.runtime.driver.RevisionState;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * An app's life beside deploys, through the API with real containers and Caddy: environment and
 * encrypted secrets, custom domains, stop, start, restart, events with timed stages, delete; an
 * instance killed over its memory limit; live logs.
 */
@ExtendWith(OutputCaptureExtension.class)
class AppLifecycleApiIT extends ApiFixture {

  @Test
  void configuresRoutesStopsStartsRestartsAndDeletes(CapturedOutput output) throws Exception {
    String alice = aliceWithApp();
    String host = siteHost();
    String secret = "s3cr3t-" + suffix + "-value";
    AppRef ref = site(alice);
    try {
      bridge(
          alice,
          "POST",
          appPath + "/deployments",
          deployment(TestImages.envPageWithOomSwitch(), 1, null),
          201);
      JsonNode empty = bridge(alice, "GET", appPath + "/env", null, 200);
      assertThat(empty.path("env").size()).isZero();
      assertThat(empty.path("secrets").size()).isZero();

      // Environment and a secret: a new revision runs with both, the value is never shown.
      String put = "{\"env\":{\"GREETING\":\"hi\"},\"secrets\":{\"TOKEN\":\"" + secret + "\"}}";
      String answer = call(base(), alice, "PUT", appPath + "/env", put, 200);
      assertThat(answer).doesNotContain(secret);
      JsonNode env = JSON.readTree(answer);
      assertThat(env.path("env").path("GREETING").asString()).isEqualTo("hi");
      assertThat(env.path("secrets").get(0).asString()).isEqualTo("TOKEN");
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body())
          .isEqualTo("hi " + secret + "\n");
      assertThat(call(base(), alice, "GET", appPath + "/env", null, 200)).doesNotContain(secret);
      assertThat(call(base(), alice, "GET", appPath + "/deployments", null, 200))
          .doesNotContain(secret);

      // At rest it is sealed; on the host it is on no command line; it was never logged.
      String stored =
          jdbc.sql(
                  "select coalesce(a.secrets, '') || a.env::text"
                      + " || string_agg(coalesce(r.secrets, '') || r.env::text, '')"
                      + " from app a join revision r using (tenant, project, app)"
                      + " where a.tenant = ? group by a.secrets, a.env")
              .param(tenant)
              .query(String.class)
              .single();
      assertThat(stored).doesNotContain(secret).doesNotContain("s3cr3t");
      // created through podman's API: the container has no command line to show
      String container = containers().getFirst();
      assertThat(
              PODMAN
                  .run(List.of("inspect", "--format", "{{.Config.CreateCommand}}", container))
                  .stdout()
                  .strip())
          .isEqualTo("[]");
      assertThat(commandLines()).noneMatch(line -> line.contains(secret));
      assertThat(output.getAll()).doesNotContain(secret);
      // nor in what podman tells about the container: the app reads it from a file of its own
      assertThat(PODMAN.run(List.of("inspect", container)).stdout())
          .doesNotContain(secret)
          .contains("/.slipway/secrets");
      assertThat(PODMAN.run(List.of("secret", "inspect", container)).stdout())
          .doesNotContain(secret);
      assertThat(
              PODMAN
                  .run(
                      List.of(
                          "exec",
                          container,
                          "/bin/busybox",
                          "stat",
                          "-c",
                          "%a %u",
                          "/.slipway/secrets"))
                  .stdout()
                  .strip())
          .isEqualTo(
              "400 "
                  + PODMAN
                      .run(List.of("exec", container, "/bin/busybox", "id", "-u"))
                      .stdout()
                      .strip());

      // Bad names are refused; null removes a secret, absent ones are kept.
      assertThat(
              bridge(alice, "PUT", appPath + "/env", "{\"env\":{\"1BAD\":\"x\"}}", 400)
                  .path("type")
                  .asString())
          .endsWith("/invalid-request");
      bridge(user("mallory"), "GET", appPath + "/env", null, 404);
      // A viewer reads everything but changes nothing.
      String viewer = user("victor");
      tenantService(
          alice,
          "PUT",
          "/api/v1/tenants/" + tenant + "/members/victor-" + suffix,
          "{\"role\":\"viewer\"}",
          200);
      assertThat(call(base(), viewer, "GET", appPath + "/env", null, 200)).doesNotContain(secret);
      bridge(viewer, "GET", appPath + "/events", null, 200);
      bridge(viewer, "GET", appPath + "/domains", null, 200);
      bridge(viewer, "PUT", appPath + "/env", "{\"env\":{}}", 403);
      bridge(viewer, "POST", appPath + "/stop", null, 403);
      bridge(viewer, "POST", appPath + "/domains", "{\"domain\":\"v.example.com\"}", 403);
      bridge(viewer, "DELETE", appPath, null, 403);
      bridge(alice, "PUT", appPath + "/env", "{\"env\":{\"GREETING\":\"hey\"}}", 200);
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body())
          .isEqualTo("hey " + secret + "\n");
      JsonNode removed =
          bridge(alice, "PUT", appPath + "/env", "{\"env\":{},\"secrets\":{\"TOKEN\":null}}", 200);
      assertThat(removed.path("secrets").size()).isZero();
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo(" \n");

      // A custom domain: lower-cased, pending (not served) until proven, then served, unique
      // across tenants, removable. (DomainOwnershipIT has the proofs in detail.)
      String domain = "shop-" + suffix + ".example.com";
      JsonNode claim =
          bridge(
              alice,
              "POST",
              appPath + "/domains",
              "{\"domain\":\"Shop-" + suffix + ".Example.com\"}",
              201);
      assertThat(claim.path("domain").asString()).isEqualTo(domain);
      assertThat(claim.path("state").asString()).isEqualTo("pending");
      assertThat(HostRequest.get(CADDY.httpPort(), domain, "/").status()).isEqualTo(404);
      TestDns.point(domain, "127.0.0.1");
      bridge(alice, "POST", appPath + "/domains/" + domain + "/verify", null, 200);
      assertThat(HostRequest.get(CADDY.httpPort(), domain, "/").body()).isEqualTo(" \n");
      bridge(alice, "POST", appPath + "/domains", "{\"domain\":\"x.apps.localhost\"}", 422);
      bridge(alice, "POST", appPath + "/domains", "{\"domain\":\"not a host\"}", 400);
      JsonNode taken = otherTenantClaims(domain);
      assertThat(taken.path("type").asString()).endsWith("/domain-taken");
      assertThat(taken.path("detail").asString()).doesNotContain(tenant);
      bridge(alice, "DELETE", appPath + "/domains/" + domain, null, 204);
      assertThat(bridge(alice, "GET", appPath + "/domains", null, 200).path("domains").size())
          .isZero();
      assertThat(HostRequest.get(CADDY.httpPort(), domain, "/").status()).isEqualTo(404);

      // Stop releases everything and its host answers "not running" (503), before and after a
      // reconcile pass; start brings both back.
      JsonNode stopped = bridge(alice, "POST", appPath + "/stop", null, 200);
      assertThat(stopped.path("stopped").asBoolean()).isTrue();
      assertThat(containers()).isEmpty();
      assertThat(usedMillicores(alice)).isZero();
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").status()).isEqualTo(503);
      reconciler.reconcile();
      assertThat(containers()).isEmpty();
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").status()).isEqualTo(503);
      // A domain claimed while stopped is not routed until verified, then answers "not running"
      // too, and 404 once given up.
      bridge(alice, "POST", appPath + "/domains", "{\"domain\":\"" + domain + "\"}", 201);
      assertThat(HostRequest.get(CADDY.httpPort(), domain, "/").status()).isEqualTo(404);
      bridge(alice, "POST", appPath + "/domains/" + domain + "/verify", null, 200);
      assertThat(HostRequest.get(CADDY.httpPort(), domain, "/").status()).isEqualTo(503);
      bridge(alice, "DELETE", appPath + "/domains/" + domain, null, 204);
      assertThat(HostRequest.get(CADDY.httpPort(), domain, "/").status()).isEqualTo(404);
      TestDns.forget(domain);
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").status()).isEqualTo(503);
      // A configuration changed while stopped is what the app starts with.
      bridge(alice, "PUT", appPath + "/env", "{\"env\":{\"GREETING\":\"back\"}}", 200);
      assertThat(containers()).isEmpty();
      JsonNode started = bridge(alice, "POST", appPath + "/start", null, 200);
      assertThat(started.path("stopped").asBoolean()).isFalse();
      assertThat(started.path("revisions").get(0).path("env").path("GREETING").asString())
          .isEqualTo("back");
      assertThat(containers()).hasSize(1);
      assertThat(usedMillicores(alice)).isEqualTo(250);
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("back \n");
      bridge(alice, "POST", appPath + "/start", null, 200);
      assertThat(containers()).hasSize(1);

      // Restart: a new revision of the same spec, with its stages timed.
      int before =
          bridge(alice, "GET", appPath + "/deployments", null, 200).path("liveRevision").asInt();
      JsonNode restarted = bridge(alice, "POST", appPath + "/restart", null, 200);
      assertThat(restarted.path("liveRevision").asInt()).isEqualTo(before + 1);
      JsonNode live = restarted.path("revisions").get(0);
      assertThat(live.path("liveAt").isNull()).isFalse();
      assertThat(live.path("stages").findValuesAsString("name"))
          .containsExactly("admission", "start", "health", "route");
      assertThat(containers()).hasSize(1);
      assertThat(usedMillicores(alice)).isEqualTo(250);

      List<String> reasons =
          bridge(alice, "GET", appPath + "/events", null, 200)
              .path("items")
              .findValuesAsString("reason");
      assertThat(reasons).startsWith("Restarted", "Started", "Stopped");
      assertThat(reasons).contains("Deployed");

      // Delete: nothing is left, the containers' secrets neither, and a second delete is fine.
      bridge(alice, "DELETE", appPath, null, 204);
      assertThat(containers()).isEmpty();
      assertThat(PODMAN.run(List.of("secret", "ls", "--format", "{{.Name}}")).stdout())
          .doesNotContain(ref.appId());
      assertThat(usedMillicores(alice)).isZero();
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").status()).isEqualTo(404);
      assertThat(bridge(alice, "GET", appPath + "/deployments", null, 200).path("revisions").size())
          .isZero();
      assertThat(driver.observe(ref)).isEmpty();
      bridge(alice, "DELETE", appPath, null, 204);
    } finally {
      forgetTenant();
    }
  }

  @Test
  void anInstanceKilledOverItsMemoryLimitIsAnEventAndLogsFollowLive() throws Exception {
    String alice = aliceWithApp();
    AppRef ref = site(alice);
    try {
      bridge(
          alice,
          "POST",
          appPath + "/deployments",
          deployment(TestImages.envPageWithOomSwitch(), 1, null),
          201);
      List<String> lines = new CopyOnWriteArrayList<>();
      CompletableFuture<HttpResponse<Stream<String>>> follow =
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(base() + appPath + "/logs?tail=10&follow=true"))
                  .header("Authorization", "Bearer " + alice)
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.ofLines());
      CompletableFuture<Void> reading =
          follow.thenAcceptAsync(response -> response.body().forEach(lines::add));
      await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("data:started"));
      assertThat(lines).contains("event:log");

      PODMAN.run(
          List.of(
              "exec",
              "--user",
              "65534",
              containers().getFirst(),
              "/bin/busybox",
              "touch",
              "/tmp/boom"));
      // The line written after the stream began arrives on it, live.
      await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("data:allocating"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  driver.observe(ref).stream()
                      .flatMap(s -> s.instances().stream())
                      .anyMatch(i -> !i.running()));
      Instance killed =
          driver.observe(ref).stream()
              .map(RevisionState::instances)
              .flatMap(List::stream)
              .filter(i -> !i.running())
              .findFirst()
              .orElseThrow();
      assertThat(killed.exitCode()).isEqualTo(137);
      // The stream ends with the instance it followed.
      reading.get(30, java.util.concurrent.TimeUnit.SECONDS);

      reconciler.reconcile();
      JsonNode event = bridge(alice, "GET", appPath + "/events", null, 200).path("items").get(0);
      assertThat(event.path("reason").asString()).isEqualTo("OOMKilled");
      assertThat(event.path("type").asString()).isEqualTo("Warning");
      assertThat(event.path("message").asString()).contains("32 MiB");
      // ... and the reconciler started it again.
      await().atMost(Duration.ofSeconds(20)).until(() -> containers().size() == 1);

      String tail = call(base(), alice, "GET", appPath + "/logs?tail=5", null, 200);
      assertThat(tail).contains("event:log").contains("data:started");
    } finally {
      forgetTenant();
    }
  }

  /**
   * A stop that died right after recording the app as stopped left its instances, route and
   * reservation: the reconciler removes and releases them, the host answers "not running", and the
   * app starts again.
   */
  @Test
  void aStopThatDiedHalfWayConverges() throws Exception {
    String alice = aliceWithApp();
    String host = siteHost();
    try {
      bridge(
          alice,
          "POST",
          appPath + "/deployments",
          deployment(TestImages.httpd("api-one", "one\n"), 1, null),
          201);
      jdbc.sql("update app set stopped = true where tenant = ?").param(tenant).update();
      assertThat(usedMillicores(alice)).isEqualTo(250);

      reconciler.reconcile();
      assertThat(containers()).isEmpty();
      assertThat(usedMillicores(alice)).isZero();
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").status()).isEqualTo(503);

      bridge(alice, "POST", appPath + "/start", null, 200);
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body()).isEqualTo("one\n");
      assertThat(usedMillicores(alice)).isEqualTo(250);
    } finally {
      forgetTenant();
    }
  }

  private JsonNode otherTenantClaims(String domain) throws Exception {
    String bob = user("bob");
    String other = tenant + "-b";
    tenantService(bob, "POST", "/api/v1/tenants", "{\"name\":\"" + other + "\"}", 201);
    tenantService(bob, "POST", "/api/v1/tenants/" + other + "/projects", "{\"name\":\"web\"}", 201);
    tenantService(
        bob,
        "POST",
        "/api/v1/tenants/" + other + "/projects/web/apps",
        "{\"name\":\"site\",\"source\":\"image\",\"sourceRef\":\"x\"}",
        201);
    try {
      return bridge(
          bob,
          "POST",
          "/api/v1/tenants/" + other + "/projects/web/apps/site/domains",
          "{\"domain\":\"" + domain + "\"}",
          409);
    } finally {
      jdbc.sql("delete from app where tenant = ?").param(other).update();
    }
  }

  private long usedMillicores(String token) throws Exception {
    return JSON.readTree(
            tenantService(token, "GET", "/api/v1/tenants/" + tenant + "/quota", null, 200))
        .path("used")
        .path("cpuMillicores")
        .asLong();
  }

  /** Every process's command line on this machine (conmon's and the app's included). */
  private static List<String> commandLines() {
    try (var dirs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
      return dirs.filter(d -> d.getFileName().toString().matches("\\d+"))
          .map(
              d -> {
                try {
                  return new String(java.nio.file.Files.readAllBytes(d.resolve("cmdline")))
                      .replace('\0', ' ');
                } catch (java.io.IOException e) {
                  return "";
                }
              })
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }
}
