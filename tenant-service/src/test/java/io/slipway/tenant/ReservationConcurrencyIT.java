package io.slipway.tenant;

import static io.slipway.tenant.support.TestTokens.platformAdmin;
import static io.slipway.tenant.support.TestTokens.service;
import static io.slipway.tenant.support.TestTokens.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.tenant.support.Api.Response;
import io.slipway.tenant.support.ServiceTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Many clients reserve against a small quota at once, each request sent twice (a retry racing its
 * original). Exactly the quota is granted, usage equals the sum of granted reservations, and no
 * retry counts twice.
 */
class ReservationConcurrencyIT extends ServiceTest {

  private static final int CLIENTS = 16;
  private static final int KEYS = 60;
  private static final int MEMORY_QUOTA = 1000;
  private static final int PER_RESERVATION = 100;

  @Test
  void exactlyTheQuotaIsGrantedUnderConcurrency() throws Exception {
    String alice = user(unique("alice"));
    String tenant = unique("race");
    String base = "/api/v1/tenants/" + tenant;
    api.post(alice, "/api/v1/tenants", Map.of("name", tenant));
    api.post(alice, base + "/projects", Map.of("name", "a"));
    api.post(alice, base + "/projects", Map.of("name", "b"));
    Map<String, Object> quota = new HashMap<>();
    quota.put("cpuMillicores", 100_000);
    quota.put("memoryMib", MEMORY_QUOTA);
    quota.put("apps", 10);
    quota.put("replicas", 1000);
    quota.put("concurrentBuilds", 1);
    quota.put("buildMinutes", 10);
    quota.put("storageMib", 10);
    assertThat(api.put(platformAdmin("root"), base + "/quota", quota).status()).isEqualTo(200);

    String bridge = service("runtime-bridge");
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Response>> calls = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
      for (int i = 0; i < KEYS * 2; i++) {
        Map<String, Object> body = new HashMap<>();
        body.put("idempotencyKey", "deploy-" + (i % KEYS));
        body.put("project", (i % KEYS) % 2 == 0 ? "a" : "b");
        body.put("replicas", 1);
        body.put("memoryMib", PER_RESERVATION);
        calls.add(
            pool.submit(
                () -> {
                  start.await();
                  return api.post(bridge, base + "/reservations", body);
                }));
      }
      start.countDown();
    }

    Map<Integer, Integer> statuses = new HashMap<>();
    for (Future<Response> call : calls) {
      Response response = call.get();
      statuses.merge(response.status(), 1, Integer::sum);
      if (response.status() == 409) {
        assertThat(response.json().path("type").asString()).endsWith("/quota-exceeded");
      }
    }
    int granted = statuses.getOrDefault(201, 0);
    assertThat(granted).isEqualTo(MEMORY_QUOTA / PER_RESERVATION);
    assertThat(statuses.keySet()).isSubsetOf(200, 201, 409);

    JsonNode active = api.get(bridge, base + "/reservations?active=true&size=200").json();
    assertThat(active.path("total").asLong()).isEqualTo(granted);
    long sum =
        active
            .path("items")
            .valueStream()
            .mapToLong(r -> r.path("amounts").path("memoryMib").asLong())
            .sum();
    JsonNode used = api.get(alice, base + "/quota").json().path("used");
    assertThat(used.path("memoryMib").asLong()).isEqualTo(sum).isEqualTo(MEMORY_QUOTA);
    assertThat(used.path("replicas").asLong()).isEqualTo(granted);
  }
}
