package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A configuration change of a running app ({@code PUT .../env}) is an accepted revision: stored
 * with its pending revision, answered 202 with a {@code Location} to it (or, with {@code Prefer:
 * wait}, 200 once live and 409 {@code rollout-failed} when it failed), rolled out by the
 * reconciler, which puts the configuration before back when it fails. Made from the newest accepted
 * spec, it carries a pushed image still waiting.
 */
class ConfigChangesApiIT extends ApiFixture {

  private static final Duration CONVERGED = Duration.ofSeconds(60);

  @Autowired AppConfigStore configs;

  @Test
  void aConfigurationChangeIsAcceptedThenRolledOut() throws Exception {
    String alice = aliceWithApp();
    String mallory = user("mallory");
    String host = siteHost();
    try {
      deployEnvPage(alice, "config-one");

      // Without a wait: 202 with the revision to poll, which the reconciler rolls out.
      HttpResponse<String> accepted = unwaitedPut(alice, "{\"env\":{\"GREETING\":\"hello\"}}");
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      String revision =
          URI.create(accepted.headers().firstValue("Location").orElseThrow()).getPath();
      assertThat(revision).endsWith(appPath + "/deployments/2");
      // stored with its revision: read back at once
      assertThat(bridge(alice, "GET", appPath + "/env", null, 200).path("env").path("GREETING"))
          .hasToString("\"hello\"");
      await()
          .atMost(CONVERGED)
          .until(
              () ->
                  bridge(alice, "GET", revision, null, 200)
                      .path("status")
                      .asString()
                      .equals("live"));
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body())
          .isEqualTo("config-one hello\n");

      // With Prefer: wait, answered once live with the new configuration.
      JsonNode waited =
          bridge(alice, "PUT", appPath + "/env", "{\"env\":{\"GREETING\":\"again\"}}", 200);
      assertThat(waited.path("env").path("GREETING").asString()).isEqualTo("again");
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body())
          .isEqualTo("config-one again\n");
      assertThat(containers()).hasSize(1).allMatch(name -> name.contains("-v3-"));

      // Another tenant's user: 404, and nothing changed; a viewer: 403.
      bridge(mallory, "PUT", appPath + "/env", "{\"env\":{\"GREETING\":\"owned\"}}", 404);
      String viewer = user("victor");
      tenantService(
          alice,
          "PUT",
          "/api/v1/tenants/" + tenant + "/members/victor-" + suffix,
          "{\"role\":\"viewer\"}",
          200);
      bridge(viewer, "PUT", appPath + "/env", "{\"env\":{\"GREETING\":\"viewed\"}}", 403);
      assertThat(
              bridge(alice, "GET", appPath + "/env", null, 200)
                  .path("env")
                  .path("GREETING")
                  .asString())
          .isEqualTo("again");
      assertThat(store.revision(site(alice), 4)).isEmpty();
    } finally {
      forgetTenant();
    }
  }

  /**
   * A configuration that makes the app exit at start: 409 {@code rollout-failed} with the reason,
   * the revision failed, the configuration before back and the old revision still serving.
   */
  @Test
  void aConfigurationThatFailsIsPutBack() throws Exception {
    String alice = aliceWithApp();
    String host = siteHost();
    try {
      deployEnvPage(alice, "config-crash");
      bridge(alice, "PUT", appPath + "/env", "{\"env\":{\"GREETING\":\"fine\"}}", 200);

      JsonNode refused =
          bridge(
              alice,
              "PUT",
              appPath + "/env",
              "{\"env\":{\"GREETING\":\"broken\",\"CRASH\":\"yes\"}}",
              409);

      assertThat(refused.path("type").asString()).endsWith("/rollout-failed");
      JsonNode failed = bridge(alice, "GET", appPath + "/deployments/3", null, 200);
      assertThat(failed.path("status").asString()).isEqualTo("failed");
      assertThat(refused.path("detail").asString()).isEqualTo(failed.path("reason").asString());
      JsonNode env = bridge(alice, "GET", appPath + "/env", null, 200).path("env");
      assertThat(env.path("GREETING").asString()).isEqualTo("fine");
      assertThat(env.has("CRASH")).isFalse();
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body())
          .isEqualTo("config-crash fine\n");
      assertThat(containers()).hasSize(1).allMatch(name -> name.contains("-v2-"));
      assertThat(
              bridge(alice, "GET", appPath + "/events", null, 200)
                  .path("items")
                  .findValuesAsString("reason"))
          .contains("ConfigurationRestored");
    } finally {
      forgetTenant();
    }
  }

  /**
   * A configuration stored since a change's revision was accepted (a newer change) wins: the
   * revision's failure does not put the configuration before it back over the newer one.
   */
  @Test
  void aNewerConfigurationIsNotPutBackOver() throws Exception {
    String alice = aliceWithApp();
    try {
      deployEnvPage(alice, "config-newer");
      AppRef ref = site(alice);
      // accepted but not rolled out: nobody woke the reconciler for it
      lifecycle.configure(ref, Map.of("CRASH", "yes"), Map.of(), List.of());
      assertThat(store.revision(ref, 2).orElseThrow().status()).isEqualTo("pending");
      // what a newer change stored meanwhile
      configs.save(
          ref,
          new AppConfigStore.Config(new TreeMap<>(Map.of("GREETING", "newer")), new TreeMap<>()));

      reconciler.reconcile();

      assertThat(store.revision(ref, 2).orElseThrow().status()).isEqualTo("failed");
      assertThat(configs.config(ref).env()).containsExactly(Map.entry("GREETING", "newer"));
    } finally {
      forgetTenant();
    }
  }

  /**
   * A configuration change while a pushed deploy waits for its rollout is made from that deploy:
   * the pushed image runs with the new configuration, rather than being superseded by the old one.
   */
  @Test
  void aConfigurationChangeWhileADeployWaitsRunsThePushedImage() throws Exception {
    String alice = aliceWithApp();
    String host = siteHost();
    String pushed = TestImages.envPage("config-pushed");
    try {
      deployEnvPage(alice, "config-before");
      AppRef ref = site(alice);
      // accepted but not rolled out: nobody woke the reconciler for it
      deployments.deploy(
          ref, JSON.readValue(deployment(pushed, 1, null), DeployRequest.class), null);
      assertThat(store.revision(ref, 2).orElseThrow().status()).isEqualTo("pending");

      bridge(alice, "PUT", appPath + "/env", "{\"env\":{\"GREETING\":\"pushed\"}}", 200);

      RevisionRecord carried = store.revision(ref, 3).orElseThrow();
      assertThat(carried.status()).isEqualTo("live");
      assertThat(carried.spec().image()).isEqualTo(pushed);
      assertThat(store.revision(ref, 2).orElseThrow().status()).isEqualTo("superseded");
      assertThat(HostRequest.get(CADDY.httpPort(), host, "/").body())
          .isEqualTo("config-pushed pushed\n");
      assertThat(containers()).hasSize(1).allMatch(name -> name.contains("-v3-"));
    } finally {
      forgetTenant();
    }
  }

  /** Deploys {@link TestImages#envPage} with this tag, answered once live. */
  private void deployEnvPage(String token, String tag) throws Exception {
    bridge(
        token, "POST", appPath + "/deployments", deployment(TestImages.envPage(tag), 1, null), 201);
  }

  /** A PUT of the configuration without {@code Prefer: wait}: answered when accepted. */
  private HttpResponse<String> unwaitedPut(String token, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + appPath + "/env"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
