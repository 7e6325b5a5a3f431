package io.slipway.runtime.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.driver.RevisionState;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import io.slipway.runtime.model.Specs;
import io.slipway.runtime.podman.Nft;
import io.slipway.runtime.podman.PodmanDriver;
import io.slipway.runtime.podman.PodmanSettings;
import io.slipway.runtime.podman.ProjectFirewall;
import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.render.RenderSettings;
import io.slipway.runtime.router.CaddyRouter;
import io.slipway.runtime.router.HostRequest;
import io.slipway.testing.BackgroundLoop;
import io.slipway.testing.TestCaddy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Zero-downtime rollouts through the real router: podman containers behind a real Caddy. */
class RolloutIT {

  static final PodmanSettings SETTINGS = new PodmanSettings(TestImages.PREFIX, 64, Duration.ZERO);
  static TestCaddy caddy;
  static CaddyRouter router;

  /** Project networks closed as in production, in a table of this class's own. */
  static final ProjectFirewall FIREWALL =
      new ProjectFirewall(
          "slwtest_rollout_" + java.util.UUID.randomUUID().toString().substring(0, 8),
          new Nft("nft"),
          project -> false);

  final PodmanDriver driver = new PodmanDriver(SETTINGS, TestImages.API, FIREWALL);
  final RenderSettings render = RenderSettings.defaults();
  final Rollout rollout =
      new Rollout(driver, router, new HealthProbe(), render, Duration.ofSeconds(10));
  final AppRef ref = Specs.ref("rollout", "p", "web");

  @BeforeAll
  static void startRouter() throws Exception {
    caddy = TestCaddy.start();
    router = new CaddyRouter(caddy.adminSocket(), "slipway", caddy.listen());
    router.ensureServer();
  }

  @AfterAll
  static void stopRouter() {
    caddy.close();
    TestImages.removeAll();
    FIREWALL.removeTable();
  }

  @AfterEach
  void removeApp() {
    driver.removeApp(ref);
    driver.removeProjectNetwork(ref);
    router.unroute(ref);
  }

  @Test
  void redeploysWithoutAFailedRequest() throws Exception {
    AppSpec one = Specs.web(ref, 1, TestImages.httpd("one", "one\n"), 1);
    AppSpec two = Specs.web(ref, 2, TestImages.httpd("two", "two\n"), 2);
    String host = render.host(ref);

    assertThat(rollout.rollOut(one, Optional.empty()).live()).isTrue();
    assertThat(HostRequest.get(caddy.httpPort(), host, "/"))
        .isEqualTo(new HostRequest.Answer(200, "one\n"));

    AtomicInteger requests = new AtomicInteger();
    List<String> failures = new CopyOnWriteArrayList<>();
    Map<String, Integer> bodies = new ConcurrentHashMap<>();
    RolloutResult result;
    try (BackgroundLoop loop =
        BackgroundLoop.every(
            "requests",
            Duration.ZERO,
            () -> {
              try {
                HostRequest.Answer answer = HostRequest.get(caddy.httpPort(), host, "/");
                requests.incrementAndGet();
                if (answer.status() != 200) {
                  failures.add(answer.status() + " " + answer.body());
                }
                bodies.merge(answer.body(), 1, Integer::sum);
              } catch (Exception e) {
                failures.add(e.toString());
              }
            })) {
      result = rollout.rollOut(two, Optional.of(one));
      await().atMost(Duration.ofSeconds(5)).until(() -> bodies.getOrDefault("two\n", 0) >= 20);
    }

    assertThat(result.live()).isTrue();
    assertThat(failures).isEmpty();
    assertThat(bodies.keySet()).containsExactlyInAnyOrder("one\n", "two\n");
    assertThat(requests.get()).isGreaterThan(40);
    assertThat(driver.observe(ref))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.revision()).isEqualTo(2);
              assertThat(s.running()).hasSize(2);
            });
    System.out.printf(
        "rollout: %d requests during the switch, 0 failed; revision 2 live after %d ms%n",
        requests.get(), result.millis());
  }

  @Test
  void aRevisionThatExitsIsRolledBackWithItsReason() throws Exception {
    AppSpec one = Specs.web(ref, 1, TestImages.httpd("one", "one\n"), 1);
    AppSpec broken = Specs.web(ref, 2, TestImages.failing("boom-at-start", 3), 1);
    rollout.rollOut(one, Optional.empty());

    RolloutResult result = rollout.rollOut(broken, Optional.of(one));

    assertThat(result.live()).isFalse();
    assertThat(result.reason()).contains("revision 2 exited with code 3").contains("boom-at-start");
    assertThat(driver.observe(ref)).extracting(RevisionState::revision).containsExactly(1);
    assertThat(HostRequest.get(caddy.httpPort(), render.host(ref), "/").body()).isEqualTo("one\n");
  }

  @Test
  void aRevisionThatNeverGetsHealthyIsRolledBack() throws Exception {
    AppSpec one = Specs.web(ref, 1, TestImages.httpd("one", "one\n"), 1);
    AppSpec sick =
        new AppSpec(ref, 2, one.image(), null, 1, 8080, Map.of(), 250, 64, "/healthz", 65534, true);
    Rollout impatient =
        new Rollout(driver, router, new HealthProbe(), render, Duration.ofSeconds(2));
    impatient.rollOut(one, Optional.empty());

    RolloutResult result = impatient.rollOut(sick, Optional.of(one));

    assertThat(result.live()).isFalse();
    assertThat(result.reason())
        .contains("did not answer its health check /healthz within 2 s")
        .contains("it listens on port 8080, so /healthz answered neither 2xx nor 3xx");
    assertThat(driver.observe(ref)).extracting(RevisionState::revision).containsExactly(1);
  }

  @Test
  void aRevisionListeningOnAnotherPortIsToldSoBeforeItsHealthTimeout() throws Exception {
    AppSpec one = Specs.web(ref, 1, TestImages.httpd("one", "one\n"), 1);
    AppSpec elsewhere = Specs.web(ref, 2, TestImages.httpdOn(3000, "elsewhere\n"), 1);
    Duration healthTimeout = Duration.ofSeconds(90);
    Rollout patient = new Rollout(driver, router, new HealthProbe(), render, healthTimeout);
    patient.rollOut(one, Optional.empty());

    RolloutResult result = patient.rollOut(elsewhere, Optional.of(one));

    assertThat(result.live()).isFalse();
    assertThat(result.reason())
        .startsWith(
            "revision 2 listens on port 3000, not on its port 8080: an app must listen on 8080");
    // found by looking at its sockets after the grace, not by waiting out the health timeout
    assertThat(Duration.ofMillis(result.millis())).isLessThan(healthTimeout);
    assertThat(driver.observe(ref)).extracting(RevisionState::revision).containsExactly(1);
    assertThat(HostRequest.get(caddy.httpPort(), render.host(ref), "/").body()).isEqualTo("one\n");
  }

  @Test
  void aRevisionListeningNowhereIsToldSoAtItsHealthTimeout() throws Exception {
    AppSpec silent = Specs.web(ref, 1, TestImages.listensNowhere(), 1);
    Rollout impatient =
        new Rollout(driver, router, new HealthProbe(), render, Duration.ofSeconds(3));

    RolloutResult result = impatient.rollOut(silent, Optional.empty());

    assertThat(result.live()).isFalse();
    assertThat(result.reason())
        .contains("did not answer its health check / within 3 s")
        .contains("; it listens on no TCP port: an app must listen on 8080");
  }
}
