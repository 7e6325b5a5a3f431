package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.vm.PodmanVms;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A VM's serial console over the API's WebSocket (issue 23) with the real tenant-service, Keycloak
 * and podman, the platform's Debian guest booted under TCG: a developer's session reads the login
 * prompt, types and reads the echo; a viewer's session sees the same output and its typing has no
 * effect; another tenant's user and an app that is no VM get the HTTP API's 404; a stopped VM's
 * console says so and closes. Prints the keystroke → echo latency.
 */
@TestPropertySource(properties = "slipway.runtime.vm.console-access-check=1s")
class VmConsoleIT extends ApiFixture {

  private static final Duration BOOT = Duration.ofSeconds(120);
  private static final String LOGIN = "login: ";

  @Autowired PodmanVms podmanVms;

  private final String vm = appPath + "/vm";
  private final String console = vm + "/console";
  private final String otherTenant = "rt2-" + suffix;

  /** How many times the developer's session was opened until the console was reachable. */
  private int developerOpenings;

  @Test
  void aDeveloperTypesAViewerWatchesAndOthersAreNotFound() throws Exception {
    String alice = aliceWithApp();
    String victor = viewer(alice);
    String bob = user("bob");
    tenantWithSite(bob, otherTenant);
    AppRef ref = site(alice);
    try {
      // an app that is no VM: the HTTP API's 404, before any WebSocket
      assertThat(refusal(alice)).isEqualTo(404);
      assertThat(plainGet(alice)).isEqualTo(withoutInstance(bridge(alice, "GET", vm, null, 404)));

      bridge(
          alice,
          "PUT",
          vm,
          JSON.writeValueAsString(new VmRequest(1, 256, null, null, List.of(), null)),
          201);
      // another tenant's user: the same 404 as every VM endpoint answers, no hint the VM exists
      assertThat(refusal(bob)).isEqualTo(404);
      assertThat(plainGet(bob)).isEqualTo(withoutInstance(bridge(bob, "GET", vm, null, 404)));
      assertThat(plainGet(bob)).contains("App '" + tenant + "/web/site' was not found");

      Client developer = openWhenReachable(alice);
      await()
          .atMost(BOOT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> developer.output().contains(LOGIN));
      Client viewer = open(victor);
      // the viewer joins on the screen the developer sees: the login prompt is shown at once
      await().atMost(Duration.ofSeconds(10)).until(() -> viewer.output().contains(LOGIN));
      assertThat(developer.notices())
          .extracting(n -> n.path("notice").asString())
          .first()
          .isEqualTo("opened");
      assertThat(viewer.notices().getFirst().path("message").asString()).contains("read-only");

      // the viewer's typing is dropped, and it is told so once
      viewer.type("zq");
      viewer.type("zq");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  viewer.notices().stream()
                      .anyMatch(n -> "read-only".equals(n.path("notice").asString())));

      // the developer types a login name, one key at a time: each key's echo is timed
      List<Long> latencies = new ArrayList<>();
      String name = "probe";
      for (int i = 0; i < name.length(); i++) {
        String typedSoFar = LOGIN + name.substring(0, i + 1);
        long started = System.nanoTime();
        developer.type(name.substring(i, i + 1));
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(1))
            .until(() -> developer.output().contains(typedSoFar));
        latencies.add((System.nanoTime() - started) / 1_000);
      }
      developer.type("\r");
      // agetty takes the name and login asks for its password: the line reached the guest
      await().atMost(Duration.ofSeconds(30)).until(() -> developer.output().contains("Password"));
      await().atMost(Duration.ofSeconds(10)).until(() -> viewer.output().contains("Password"));
      assertThat(viewer.output()).contains(LOGIN + name);
      assertThat(developer.output()).doesNotContain("zq");
      assertThat(viewer.output()).doesNotContain("zq");
      assertThat(viewer.notices())
          .filteredOn(n -> "read-only".equals(n.path("notice").asString()))
          .hasSize(1);
      List<Long> sorted = latencies.stream().sorted().toList();
      System.out.printf(
          "VmConsoleIT: keystroke -> echo over the WebSocket (TCG), %d keys: p50 %.1f ms, max %.1f"
              + " ms, each %s µs%n",
          sorted.size(),
          sorted.get(sorted.size() / 2) / 1000.0,
          sorted.getLast() / 1000.0,
          latencies);

      // the console's opening is audited, read-only or not; never what was typed (each opening is
      // recorded before the console is reached, so one the bridge closed with 1012 is there too)
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(auditOf(alice, "app.vm-console-opened"))
                      .extracting(
                          e ->
                              e.path("actor").asString()
                                  + " read-only "
                                  + e.path("after").path("readOnly").asBoolean())
                      .containsOnly(
                          "alice-" + suffix + " read-only false",
                          "victor-" + suffix + " read-only true")
                      .filteredOn(e -> e.startsWith("alice-"))
                      .hasSize(developerOpenings));
      assertThat(
              tenantService(
                  alice, "GET", "/api/v1/tenants/" + tenant + "/audit?size=50", null, 200))
          .doesNotContain(name);

      // a member removed from the tenant loses an open console at the next access check (every
      // second here), told why; the others' sessions go on
      String wanda = user("wanda");
      String member = "/api/v1/tenants/" + tenant + "/members/wanda-" + suffix;
      tenantService(alice, "PUT", member, "{\"role\":\"developer\"}", 200);
      Client removed = open(wanda);
      await().atMost(Duration.ofSeconds(10)).until(() -> removed.output().contains("Password"));
      tenantService(alice, "DELETE", member, null, 204);
      assertThat(removed.closed().get()).isEqualTo(1008);
      assertThat(removed.notices().getLast().path("notice").asString()).isEqualTo("revoked");
      assertThat(developer.closed).isNotDone();

      // bounds: a message over 4 KiB closes its session (1009), and so do more than 100 messages
      // a second (1008; empty ones here, which type nothing)
      Client big = open(alice);
      big.type("x".repeat(VmConsoleSocket.MAX_INPUT_BYTES + 1));
      assertThat(big.closed().get()).isEqualTo(1009);
      Client flood = open(alice);
      for (int i = 0;
          i < 3 * VmConsoleSocket.MAX_MESSAGES_PER_SECOND && !flood.closed.isDone();
          i++) {
        flood.type("");
      }
      assertThat(flood.closed().get()).isEqualTo(1008);

      // stopping the VM ends every session, saying why
      bridge(alice, "POST", vm + "/stop", null, 200);
      for (Client client : List.of(developer, viewer)) {
        client.closed().get();
        assertThat(client.notices().getLast().path("notice").asString()).isEqualTo("stopped");
      }
      // a stopped VM's console says so and closes
      Client late = open(alice);
      late.closed().get();
      assertThat(late.notices())
          .extracting(n -> n.path("notice").asString())
          .containsExactly("stopped");
      assertThat(late.output()).isEmpty();
    } finally {
      podmanVms.delete(ref);
      forgetTenant();
    }
  }

  private URI consoleUri() {
    return URI.create("ws://127.0.0.1:" + port + console);
  }

  /** The status the WebSocket handshake is refused with. */
  private int refusal(String token) {
    try {
      http.newWebSocketBuilder()
          .header("Authorization", "Bearer " + token)
          .buildAsync(consoleUri(), new WebSocket.Listener() {})
          .join()
          .abort();
      return 101;
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }
  }

  /** The console's address asked without an upgrade: the problem it is refused with. */
  private String plainGet(String token) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + console))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(404);
    return withoutInstance(JSON.readTree(response.body()));
  }

  /** A problem without its {@code instance}, which names the path asked. */
  private static String withoutInstance(JsonNode problem) {
    ((ObjectNode) problem).remove("instance");
    return problem.toString();
  }

  private List<JsonNode> auditOf(String token, String action) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode item :
        JSON.readTree(
                tenantService(
                    token, "GET", "/api/v1/tenants/" + tenant + "/audit?size=50", null, 200))
            .path("items")) {
      if (action.equals(item.path("action").asString())) {
        found.add(item);
      }
    }
    return found;
  }

  /**
   * A session opened as the portal's page opens one while the VM's QEMU starts (its PUT is answered
   * once QEMU runs, before its console socket may be there): again every second while the bridge
   * closes it with 1012, the console not reachable yet; within {@link #BOOT}.
   */
  private Client openWhenReachable(String token) throws InterruptedException {
    Instant until = Instant.now().plus(BOOT);
    while (true) {
      developerOpenings++;
      Client client = open(token);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  client.closed.isDone()
                      || client.notices().stream()
                          .anyMatch(n -> "opened".equals(n.path("notice").asString())));
      boolean starting =
          client.closed.isDone()
              && !client.closed.isCompletedExceptionally()
              && client.closed.join() == 1012;
      if (!starting || Instant.now().isAfter(until)) {
        return client;
      }
      System.out.println("VmConsoleIT: the console is not reachable yet (1012); again in 1 s");
      Thread.sleep(1000);
    }
  }

  private Client open(String token) {
    Client client = new Client();
    client.socket =
        http.newWebSocketBuilder()
            .header("Authorization", "Bearer " + token)
            .buildAsync(consoleUri(), client)
            .join();
    return client;
  }

  /** A console session: the output as it came, the notices, and whether it has closed. */
  static final class Client implements WebSocket.Listener {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final List<JsonNode> notices = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private WebSocket socket;

    String output() {
      synchronized (output) {
        return output.toString(StandardCharsets.UTF_8);
      }
    }

    List<JsonNode> notices() {
      return notices;
    }

    CompletableFuture<Integer> closed() {
      return closed.orTimeout(30, TimeUnit.SECONDS);
    }

    void type(String keys) {
      try {
        socket.sendBinary(ByteBuffer.wrap(keys.getBytes(StandardCharsets.UTF_8)), true).join();
      } catch (CompletionException e) {
        // closed by the bridge meanwhile: what closed it is in closed()
      }
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      synchronized (output) {
        output.writeBytes(bytes);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        notices.add(JSON.readTree(text.toString()));
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }
}
