package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.slipway.kit.audit.AuditEvent;
import io.slipway.kit.audit.AuditOutbox;
import io.slipway.kit.audit.AuditRecorder;
import io.slipway.kit.audit.AuditRelay;
import io.slipway.kit.audit.AuditSettings;
import io.slipway.kit.audit.AuditSink;
import io.slipway.kit.audit.ClientAddress;
import io.slipway.kit.audit.TenantServiceAuditSink;
import io.slipway.kit.client.ServiceClients;
import io.slipway.kit.client.TenantService;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.tenant.ServiceToken;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * runtime-bridge's audit outbox against the real tenant-service and PostgreSQL: an event outlives
 * tenant-service being down and a restart, reaches the trail exactly once with the time of the
 * change, is stored only when its change commits, and the source address is the portal's word only
 * when the portal says it.
 */
class AuditOutboxIT extends ApiFixture {

  private static final List<String> LOOPBACK = List.of("127.0.0.1", "0:0:0:0:0:0:0:1");

  @Autowired AuditRelay relay;
  @Autowired AuditOutbox outbox;
  @Autowired AuditRecorder recorder;

  /** The tenant's owner (tenant-admin): who reads its trail. */
  private String owner;

  @Autowired ClientAddress addresses;
  @Autowired AppConfigStore configs;
  @Autowired TransactionTemplate tx;
  @Autowired ServiceToken serviceToken;
  @Autowired ChangeAudit changes;

  @Test
  void anEventMadeWhileTenantServiceIsDownIsRecordedOnceAfterItComesBack() throws Exception {
    String alice = aliceWithApp();
    owner = alice;
    AppRef ref = site(alice);
    store.ensureApp(ref);
    // this instance's relay stops (as in a crash); the change is made by one whose tenant-service
    // does not answer
    relay.stop();
    try {
      AuditRelay down =
          new AuditRelay(
              outbox,
              new TenantServiceAuditSink(
                  ServiceClients.create(TenantService.class, closedPort(), serviceToken::get)),
              new AuditSettings(
                  List.of("127.0.0.1"), "portal", Duration.ofMillis(200), Duration.ofSeconds(1)));
      AuditRecorder recorder = new AuditRecorder(outbox, down, addresses, Clock.systemUTC());
      AuditEvent event =
          tx.execute(
              status -> {
                configs.save(ref, config("GREETING"));
                return recorder.record(
                    jwt("alice-" + suffix),
                    tenant,
                    "env.updated",
                    tenant + "/web/site",
                    Map.of("env", List.of("GREETING")));
              });
      assertThat(configs.config(ref).env()).containsKey("GREETING");
      assertThat(trail("env.updated")).isEmpty();
      assertThat(stored(event.eventId())).isEqualTo(1);
      // tried while down: still waiting, with its try counted
      assertThat(
              jdbc.sql("select attempts from audit_outbox where event_id = ?")
                  .param(event.eventId())
                  .query(Integer.class)
                  .single())
          .isEqualTo(1);

      // runtime-bridge starts again and tenant-service answers: its relay's passes deliver it
      relay.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(trail("env.updated")).hasSize(1));
      JsonNode recorded = trail("env.updated").getFirst();
      assertThat(Instant.parse(recorded.path("at").asString()).truncatedTo(ChronoUnit.MILLIS))
          .as("the time of the change, not of the delivery")
          .isEqualTo(event.at().truncatedTo(ChronoUnit.MILLIS));
      assertThat(recorded.path("actor").asString()).isEqualTo("alice-" + suffix);
      assertThat(recorded.path("recordedBy").asString()).isEqualTo("runtime-bridge");
      assertThat(stored(event.eventId())).isZero();

      // delivered again (a relay that died between sending and deleting): still once in the trail
      AuditSink sink =
          new TenantServiceAuditSink(
              ServiceClients.create(
                  TenantService.class, URI.create(tenantServiceUrl()), serviceToken::get));
      assertThat(sink.send(event.eventId(), JSON.writeValueAsString(event.body())))
          .isEqualTo(AuditSink.Outcome.RECORDED);
      assertThat(trail("env.updated")).hasSize(1);
    } finally {
      relay.start();
      forgetTenant();
    }
  }

  @Test
  void aChangeRolledBackLeavesNoEventAndACommittedOneLeavesExactlyOne() throws Exception {
    String alice = aliceWithApp();
    owner = alice;
    AppRef ref = site(alice);
    store.ensureApp(ref);
    try {
      // the crash between the change and the send: the transaction never commits
      AuditEvent lost =
          tx.execute(
              status -> {
                configs.save(ref, config("ROLLED_BACK"));
                AuditEvent event = audit(ref, "env.updated", Map.of("env", List.of("ROLLED_BACK")));
                status.setRollbackOnly();
                return event;
              });
      assertThat(stored(lost.eventId())).isZero();
      assertThat(configs.config(ref).env()).doesNotContainKey("ROLLED_BACK");

      AuditEvent kept =
          tx.execute(
              status -> {
                configs.save(ref, config("COMMITTED"));
                return audit(ref, "env.updated", Map.of("env", List.of("COMMITTED")));
              });
      assertThat(configs.config(ref).env()).containsKey("COMMITTED");
      // sent right after the commit: in the trail when the call returns, gone from the outbox
      List<JsonNode> events = trail("env.updated");
      assertThat(events).hasSize(1);
      assertThat(events.getFirst().path("after").path("env").get(0).asString())
          .isEqualTo("COMMITTED");
      assertThat(stored(kept.eventId())).isZero();
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aChangesRecordCommitsWithItsRowBeforeTheRuntimeActsOrNotAtAll() throws Exception {
    String alice = aliceWithApp();
    owner = alice;
    AppRef ref = site(alice);
    store.ensureApp(ref);
    ChangeAudit.Intent stop =
        new ChangeAudit.Intent(jwt("alice-" + suffix), "app.stopped", Map.of());
    try {
      // the row's own transaction fails: neither the row nor the record
      assertThatThrownBy(
              () ->
                  changes.recorded(
                      ref,
                      stop,
                      () -> {
                        store.setStopped(ref, true);
                        throw new IllegalStateException("the database went away");
                      }))
          .hasMessageContaining("went away");
      assertThat(store.stopped(ref)).isFalse();
      assertThat(trail("app.stopped")).isEmpty();
      assertThat(outbox.pending()).isZero();

      // the row commits, then the runtime's step throws (a crash after it): the record stays
      assertThatThrownBy(
              () -> {
                changes.recorded(ref, stop, () -> store.setStopped(ref, true));
                throw new IllegalStateException("podman died");
              })
          .hasMessageContaining("podman");
      assertThat(store.stopped(ref)).isTrue();
      assertThat(only("app.stopped").path("actor").asString()).isEqualTo("alice-" + suffix);
    } finally {
      forgetTenant();
    }
  }

  @Test
  void aForgedForwardedAddressIsIgnoredAndThePortalsIsRecorded() throws Exception {
    String alice = aliceWithApp();
    owner = alice;
    JsonNode token =
        JSON.readTree(
            tenantService(
                alice,
                "POST",
                "/api/v1/tokens",
                "{\"name\":\"cli\",\"scopes\":[\"api\"],\"expiresInDays\":1}",
                201));
    try {
      // the attack: a tenant calls runtime-bridge directly and names another address
      assertThat(put(token.path("token").asString(), "{\"env\":{\"A\":\"1\"}}", "203.0.113.66"))
          .isEqualTo(200);
      JsonNode forged = only("env.updated");
      assertThat(forged.path("sourceIp").asString()).isIn(LOOPBACK);
      assertThat(forged.path("actor").asString()).isEqualTo("alice-" + suffix);
      assertThat(forged.path("actorKind").asString()).isEqualTo("token");
      assertThat(forged.path("tokenId").asString()).isEqualTo(token.path("id").asString());

      // the portal, with the token of its own client, forwarding the browser's address
      assertThat(put(alice, "{\"env\":{\"A\":\"2\"}}", "198.51.100.23")).isEqualTo(200);
      List<JsonNode> both = trail("env.updated");
      assertThat(both).hasSize(2);
      JsonNode portal = both.getFirst();
      assertThat(portal.path("sourceIp").asString()).isEqualTo("198.51.100.23");
      assertThat(portal.path("actorKind").asString()).isEqualTo("user");
      assertThat(portal.path("actorId").asString()).isNotBlank();
    } finally {
      forgetTenant();
    }
  }

  private int put(String token, String body, String forwardedFor) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + appPath + "/env"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", forwardedFor)
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode();
  }

  private AuditEvent audit(AppRef ref, String action, Map<String, Object> details) {
    // as a controller records it, through the service's recorder
    return recorder.record(
        jwt("alice-" + suffix),
        ref.tenant(),
        action,
        ref.tenant() + "/" + ref.project() + "/" + ref.app(),
        details);
  }

  private JsonNode only(String action) throws Exception {
    List<JsonNode> events = trail(action);
    assertThat(events).as(action).hasSize(1);
    return events.getFirst();
  }

  private List<JsonNode> trail(String action) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    JSON.readTree(
            tenantService(
                owner,
                "GET",
                "/api/v1/tenants/" + tenant + "/audit?action=" + action + "&size=50",
                null,
                200))
        .path("items")
        .forEach(events::add);
    return events;
  }

  private long stored(String eventId) {
    return jdbc.sql("select count(*) from audit_outbox where event_id = ?")
        .param(eventId)
        .query(Long.class)
        .single();
  }

  private static AppConfigStore.Config config(String name) {
    return new AppConfigStore.Config(new TreeMap<>(Map.of(name, "x")), new TreeMap<>());
  }

  private Jwt jwt(String username) {
    return Jwt.withTokenValue("t")
        .header("alg", "none")
        .subject("sub-" + username)
        .claim("preferred_username", username)
        .claim("azp", "portal")
        .build();
  }

  private static URI closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }
}
