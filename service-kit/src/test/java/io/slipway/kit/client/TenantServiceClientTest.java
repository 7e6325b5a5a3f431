package io.slipway.kit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.slipway.kit.security.PersonalAccessTokenVerifier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.ResourceAccessException;

/**
 * The shared declarative client of tenant-service against a real HTTP server that records what
 * arrives: where each call goes, which token it carries, and what a hostile name can reach.
 */
class TenantServiceClientTest {

  /** One request as the server saw it. */
  record Seen(String method, String rawPath, String rawQuery, String authorization, String body) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final List<String> forwardedFor = new CopyOnWriteArrayList<>();
  private final AtomicReference<Answer> answer = new AtomicReference<>(new Answer(200, "{}"));
  private HttpServer server;
  private TenantService tenantService;

  record Answer(int status, String json) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::record);
    server.start();
    tenantService =
        ServiceClients.create(
            TenantService.class,
            URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
            () -> "service-token");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void record(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    forwardedFor.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Forwarded-For")));
    seen.add(
        new Seen(
            exchange.getRequestMethod(),
            uri.getRawPath(),
            uri.getRawQuery(),
            exchange.getRequestHeaders().getFirst("Authorization"),
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
    Answer reply = answer.get();
    byte[] body = reply.json().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  @Test
  void aHostileNameStaysOneSegmentOfTheCallItWasGivenTo() {
    answer.set(new Answer(200, "{\"id\":\"t1\",\"name\":\"x\"}"));
    tenantService.tenant("../../internal/apps?limit=1", ServiceClients.bearer("caller"));
    tenantService.app("a/b", ".x", "c?d#e");
    assertThatThrownBy(() -> tenantService.app("acme", "..", "api"))
        .as("a dot segment names nothing: 404, answered without a call")
        .isInstanceOf(HttpClientErrorException.NotFound.class);
    assertThatThrownBy(() -> tenantService.tenant(".", ServiceClients.bearer("caller")))
        .isInstanceOf(HttpClientErrorException.NotFound.class);
    assertThat(seen)
        .extracting(Seen::rawPath)
        .as("nothing with a dot segment left")
        .containsExactly(
            "/api/v1/tenants/..%2F..%2Finternal%2Fapps%3Flimit%3D1",
            "/api/v1/tenants/a%2Fb/projects/.x/apps/c%3Fd%23e");
    assertThat(seen).extracting(Seen::rawQuery).containsOnlyNulls();
  }

  @Test
  void callsCarryTheServiceTokenUnlessTheyCarryTheCallers() {
    answer.set(new Answer(200, "{\"id\":\"t1\",\"name\":\"acme\",\"role\":\"viewer\"}"));
    TenantService.Tenant tenant = tenantService.tenant("acme", ServiceClients.bearer("caller"));
    answer.set(new Answer(200, "{\"items\":[],\"total\":0}"));
    tenantService.members("acme", 2, 200);
    assertThat(tenant).isEqualTo(new TenantService.Tenant("t1", "acme", "viewer"));
    assertThat(seen)
        .extracting(Seen::authorization)
        .containsExactly("Bearer caller", "Bearer service-token");
    assertThat(seen.get(1).rawQuery()).isEqualTo("page=2&size=200");
  }

  @Test
  void aReservationSendsOnlyTheResourcesItReserves() {
    answer.set(new Answer(201, ""));
    tenantService.reserve(
        "acme", new TenantService.Reservation("k1", "web", "api", null, null, null, 1L, 30L));
    assertThat(seen.getFirst().body())
        .isEqualTo(
            "{\"idempotencyKey\":\"k1\",\"project\":\"web\",\"app\":\"api\","
                + "\"concurrentBuilds\":1,\"buildMinutes\":30}");
  }

  @Test
  void aRefusalIsSpringsErrorWithTheProblemReadable() {
    answer.set(new Answer(409, "{\"detail\":\"over the memory quota\"}"));
    assertThatThrownBy(
            () ->
                tenantService.reserve(
                    "acme", new TenantService.Reservation("k", "p", "a", 1L, 1L, 1L, null, null)))
        .isInstanceOfSatisfying(
            HttpClientErrorException.Conflict.class,
            e -> assertThat(e.getResponseBodyAsString()).contains("over the memory quota"));
  }

  @Test
  void aTokenRefusedFor422ReadsAsNotGrantedWithItsReason() {
    PersonalAccessTokenVerifier verifier = new PersonalAccessTokenVerifier(tenantService);
    answer.set(new Answer(422, "{\"reason\":\"missing-scope\",\"scopes\":[\"git\"]}"));
    PersonalAccessTokenVerifier.Verification refused = verifier.verify("slp_x", "api", null);
    assertThat(refused.granted()).isFalse();
    assertThat(refused.onlyMissingScope()).isTrue();
    assertThat(refused.scopes()).containsExactly("git");

    answer.set(
        new Answer(
            200,
            "{\"id\":\"tok1\",\"username\":\"alice\",\"scopes\":[\"api\"],"
                + "\"expiresAt\":\"2027-01-01T00:00:00Z\",\"role\":\"developer\"}"));
    PersonalAccessTokenVerifier.Verification granted = verifier.verify("slp_x", "api", "acme");
    assertThat(granted.granted()).isTrue();
    assertThat(granted.username()).isEqualTo("alice");
    assertThat(granted.tokenId()).isEqualTo("tok1");
    assertThat(granted.role()).contains("developer");
    assertThat(seen.get(1).body())
        .isEqualTo("{\"token\":\"slp_x\",\"scope\":\"api\",\"tenant\":\"acme\"}");
    assertThat(seen).extracting(Seen::authorization).containsOnly("Bearer service-token");
  }

  @Test
  void aCallerLikeThePortalReadsRecordsAsTheUserWithItsOwnHeaders() {
    TenantService asUser =
        ServiceClients.create(
            TenantService.class,
            URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
            () -> {
              throw new IllegalStateException("no token of its own");
            },
            ServiceClients.READ_TIMEOUT,
            List.of(
                (request, body, execution) -> {
                  request.getHeaders().set("X-Forwarded-For", "203.0.113.7");
                  return execution.execute(request, body);
                }));
    // a real answer has more fields than the record names: they are ignored
    answer.set(
        new Answer(
            200,
            "{\"items\":[{\"id\":\"t1\",\"name\":\"acme\",\"displayName\":\"Acme\","
                + "\"createdAt\":\"2026-11-25T10:00:00Z\",\"createdBy\":\"alice\","
                + "\"role\":\"developer\",\"extra\":1}],\"page\":0,\"size\":200,\"total\":1}"));
    TenantService.Page<TenantService.TenantView> page =
        asUser.tenants(200, ServiceClients.bearer("user-token"));
    assertThat(page.items())
        .containsExactly(
            new TenantService.TenantView(
                "t1",
                "acme",
                "Acme",
                java.time.Instant.parse("2026-11-25T10:00:00Z"),
                "alice",
                "developer"));
    assertThat(seen.getLast())
        .isEqualTo(new Seen("GET", "/api/v1/tenants", "size=200", "Bearer user-token", ""));
    assertThat(forwardedFor.getLast()).isEqualTo("203.0.113.7");

    // a project limit given as null defers to the tenant's: the null is sent, not dropped
    java.util.Map<String, Long> limits = new java.util.HashMap<>();
    limits.put("apps", 3L);
    limits.put("memoryMib", null);
    answer.set(new Answer(200, "{}"));
    asUser.putProjectQuota("acme", "web", limits, ServiceClients.bearer("user-token"));
    assertThat(seen.getLast().body()).contains("\"memoryMib\":null", "\"apps\":3");
    int calls = seen.size();
    assertThatThrownBy(() -> asUser.members("acme", 0, 10))
        .as("a call that names no caller's token asks for a token of its own, and never leaves")
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no token of its own");
    assertThat(seen).hasSize(calls);
  }

  /**
   * A read, and a reservation (a change under an idempotency key), whose first exchange stalls past
   * the read timeout are sent once more and answered; any other change that stalls is never sent
   * twice.
   */
  @Test
  void aStalledReadOrKeyedChangeIsSentOnceMoreAndAnyOtherChangeNever() throws Exception {
    AtomicInteger stalls = new AtomicInteger(1);
    HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    slow.setExecutor(Executors.newCachedThreadPool());
    slow.createContext(
        "/",
        exchange -> {
          if (stalls.getAndDecrement() > 0) {
            try {
              Thread.sleep(1_500);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          record(exchange);
        });
    slow.start();
    try {
      TenantService impatient =
          ServiceClients.create(
              TenantService.class,
              URI.create("http://127.0.0.1:" + slow.getAddress().getPort()),
              () -> "service-token",
              Duration.ofMillis(500));
      answer.set(new Answer(200, "{\"id\":\"t1\",\"name\":\"acme\"}"));

      assertThat(impatient.tenant("acme", ServiceClients.bearer("caller")).name())
          .isEqualTo("acme");
      awaitSeen(2);
      assertThat(seen).extracting(Seen::method).containsExactly("GET", "GET");

      seen.clear();
      stalls.set(1);
      answer.set(new Answer(201, "{}"));
      impatient.reserve(
          "acme", new TenantService.Reservation("k1", "web", "site", 100L, 32L, 1L, null, null));
      awaitSeen(2);
      assertThat(seen).extracting(Seen::method).containsExactly("POST", "POST");
      assertThat(seen).extracting(Seen::body).containsOnly(seen.getFirst().body());

      seen.clear();
      stalls.set(1);
      impatient.release("acme", "k1", null);
      awaitSeen(2);
      assertThat(seen).extracting(Seen::method).containsExactly("DELETE", "DELETE");

      seen.clear();
      stalls.set(1);
      assertThatThrownBy(
              () ->
                  impatient.createTenant(
                      new TenantService.NewTenant("acme", null), ServiceClients.bearer("caller")))
          .isInstanceOf(ResourceAccessException.class);
      awaitSeen(1);
      Thread.sleep(1_000); // a second POST would have arrived by now
      assertThat(seen).extracting(Seen::method).containsExactly("POST");
    } finally {
      slow.stop(0);
    }
  }

  /** Waits (up to 10 s) until the server recorded {@code count} requests. */
  private void awaitSeen(int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (seen.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }
}
