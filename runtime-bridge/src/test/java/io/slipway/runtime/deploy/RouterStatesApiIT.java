package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import io.slipway.testing.BackgroundLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What an app's host answers through the real Caddy in each state of the app (issue 18): an app
 * created but never deployed, starting, failed, crashed and deleted, and a host no app has. Never
 * an empty 200, never the 404 page for an app that exists; each 503 page says which state and links
 * the app's page in the portal, naming nothing its host does not.
 */
class RouterStatesApiIT extends ApiFixture {

  private static final String BROWSER =
      "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
  private static final String NOT_DEPLOYED = "This app has not been deployed yet.";
  private static final String STARTING = "This app is starting.";
  private static final String FAILED = "This app failed to start.";
  private static final String CRASHED = "This app has crashed.";

  @Test
  void anAppCreatedButNeverDeployedSaysSoUntilItIsDeleted() throws Exception {
    String alice = aliceWithApp();
    try {
      // tenant-service knows the app; the bridge holds nothing of it until a pass lists it
      reconciler.reconcile();
      HostRequest.Reply page = get(siteHost(), BROWSER);
      assertThat(page.status()).isEqualTo(503);
      assertThat(page.header("Retry-After")).isNull();
      assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
      assertThat(page.body()).contains(NOT_DEPLOYED, "<a href=\"" + appPage() + "\">");
      HostRequest.Reply text = get(siteHost(), "*/*");
      assertThat(text.status()).isEqualTo(503);
      assertThat(text.body()).startsWith(NOT_DEPLOYED).contains(appPage());
      reconciler.reconcile();
      HostRequest.Reply again = get(siteHost(), BROWSER);
      assertThat(again.status()).isEqualTo(503);
      assertThat(again.body()).isEqualTo(page.body());

      // A host no app has is the 404 page, naming nothing.
      HostRequest.Reply none = get("nothing--web--" + tenant + ".apps.localhost", BROWSER);
      assertThat(none.status()).isEqualTo(404);
      assertThat(none.body()).contains("No app is served at this address.").doesNotContain(tenant);

      // Deleted in tenant-service: the next pass leaves its host to the 404 page.
      tenantService(alice, "DELETE", appPath, null, 204);
      reconciler.reconcile();
      HostRequest.Reply gone = get(siteHost(), BROWSER);
      assertThat(gone.status()).isEqualTo(404);
      assertThat(gone.body()).doesNotContain(tenant);
    } finally {
      forget(alice);
    }
  }

  @Test
  void aFirstDeployThatExitsAtStartSaysFailedAndNeverNotFound() throws Exception {
    String alice = aliceWithApp();
    try {
      reconciler.reconcile();
      JsonNode failed;
      List<HostRequest.Reply> seen;
      try (Watch watch = new Watch(siteHost())) {
        failed =
            bridge(alice, "POST", app, deployment(TestImages.failing("boom", 3), 1, null), 201);
        seen = watch.stop();
      }
      assertThat(failed.path("status").asString()).isEqualTo("failed");
      assertThat(seen)
          .isNotEmpty()
          .allSatisfy(
              reply -> {
                assertThat(reply.status()).isEqualTo(503);
                assertThat(reply.body())
                    .matches("(?s)(" + NOT_DEPLOYED + "|" + STARTING + "|" + FAILED + ").*");
              });

      HostRequest.Reply after = get(siteHost(), "*/*");
      assertThat(after.status()).isEqualTo(503);
      assertThat(after.header("Retry-After")).isNull();
      assertThat(after.body()).startsWith(FAILED).contains(appPage());
      // the reconciler keeps it so
      reconciler.reconcile();
      assertThat(get(siteHost(), "*/*").body()).startsWith(FAILED);
    } finally {
      forget(alice);
    }
  }

  @Test
  void aSlowFirstDeploySaysStartingUntilItServes() throws Exception {
    String alice = aliceWithApp();
    try {
      reconciler.reconcile();
      JsonNode live;
      List<HostRequest.Reply> seen;
      try (Watch watch = new Watch(siteHost())) {
        live =
            bridge(alice, "POST", app, deployment(TestImages.slowHttpd(4, "slow\n"), 1, null), 201);
        seen = watch.stop();
      }
      assertThat(live.path("status").asString()).isEqualTo("live");
      assertThat(seen)
          .allSatisfy(reply -> assertThat(reply.status()).isIn(503, 200))
          .anySatisfy(
              reply -> {
                assertThat(reply.status()).isEqualTo(503);
                assertThat(reply.header("Retry-After")).isEqualTo("5");
                assertThat(reply.body()).startsWith(STARTING).contains(appPage());
              });
      // nothing served before the app itself: no 200 but its own page
      assertThat(seen)
          .filteredOn(reply -> reply.status() == 200)
          .allSatisfy(reply -> assertThat(reply.body()).isEqualTo("slow\n"));
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/"))
          .isEqualTo(new HostRequest.Answer(200, "slow\n"));
    } finally {
      forget(alice);
    }
  }

  @Test
  void aLiveAppWhoseEveryInstanceExitedSaysCrashedUntilItRunsAgainAndIsGoneOnceDeleted()
      throws Exception {
    String alice = aliceWithApp();
    try {
      bridge(alice, "POST", app, deployment(TestImages.httpd("api-one", "one\n"), 1, null), 201);
      assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/"))
          .isEqualTo(new HostRequest.Answer(200, "one\n"));
      PODMAN.run(List.of("kill", containers().getFirst()));
      await().atMost(Duration.ofSeconds(30)).until(() -> containers().isEmpty());

      reconciler.reconcile();
      HostRequest.Reply crashed = get(siteHost(), "*/*");
      assertThat(crashed.status()).isEqualTo(503);
      assertThat(crashed.header("Retry-After")).isEqualTo("5");
      assertThat(crashed.body()).startsWith(CRASHED).contains(appPage());
      // the instance was started again by that pass: the next one routes it
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                reconciler.reconcile();
                assertThat(HostRequest.get(CADDY.httpPort(), siteHost(), "/"))
                    .isEqualTo(new HostRequest.Answer(200, "one\n"));
              });

      // Deleted (the bridge first, then tenant-service, as the portal does): the 404 page.
      bridge(alice, "DELETE", appPath, null, 204);
      tenantService(alice, "DELETE", appPath, null, 204);
      reconciler.reconcile();
      HostRequest.Reply gone = get(siteHost(), BROWSER);
      assertThat(gone.status()).isEqualTo(404);
      assertThat(gone.body()).doesNotContain(tenant, "one");
    } finally {
      forget(alice);
    }
  }

  /** The app's page in the portal, as its 503 pages link it. */
  private String appPage() {
    return PORTAL_URL + "/t/" + tenant + "/p/web/a/site";
  }

  private HostRequest.Reply get(String host, String accept) throws IOException {
    return HostRequest.get(CADDY.httpPort(), host, "/", accept);
  }

  /** Deletes the test's tenant in tenant-service too, so no later pass parks its apps. */
  private void forget(String alice) throws Exception {
    try {
      tenantService(alice, "DELETE", "/api/v1/tenants/" + tenant, null, 204);
    } finally {
      forgetTenant();
    }
  }

  /** Asks a host over and over, in the background, keeping every answer, until stopped. */
  private static final class Watch implements AutoCloseable {
    private final List<HostRequest.Reply> seen = new CopyOnWriteArrayList<>();
    private final BackgroundLoop loop;

    Watch(String host) {
      // a sample every 50 ms: the answer during the deploy, not a wait for it
      loop =
          BackgroundLoop.every(
              "watch",
              Duration.ofMillis(50),
              () -> {
                try {
                  seen.add(HostRequest.get(CADDY.httpPort(), host, "/", "*/*"));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }

    List<HostRequest.Reply> stop() {
      loop.close();
      return List.copyOf(seen);
    }

    @Override
    public void close() {
      loop.close();
    }
  }
}
