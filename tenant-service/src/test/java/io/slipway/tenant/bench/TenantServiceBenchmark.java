package io.slipway.tenant.bench;

import io.slipway.tenant.support.Api;
import io.slipway.tenant.support.Api.Response;
import io.slipway.tenant.support.ServiceTest;
import io.slipway.tenant.support.TestTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Loads 1,000 tenants x 10 projects x 10 apps and measures, over HTTP against the real service and
 * PostgreSQL: listing a tenant's projects with usage, one reservation, and reservations per second
 * under 8 concurrent clients. Each figure is printed beside a baseline measured in the same run:
 * the service's health endpoint (the floor of an HTTP round trip here).
 *
 * <p>Run with {@code ./slipway bench}. Not a test: it asserts nothing about time.
 */
@Tag("benchmark")
class TenantServiceBenchmark extends ServiceTest {

  private static final int TENANTS = 1_000;
  private static final int PROJECTS = 10;
  private static final int APPS = 10;
  private static final int SAMPLES = 2_000;
  private static final int CLIENTS = 8;
  private static final int THROUGHPUT_REQUESTS = 8_000;

  @Autowired JdbcClient jdbc;

  @Test
  void benchmark() throws Exception {
    long loadStart = System.nanoTime();
    load();
    System.out.printf(
        "%nloaded %d tenants x %d projects x %d apps (+1 active reservation per app) in %.1f s%n",
        TENANTS, PROJECTS, APPS, (System.nanoTime() - loadStart) / 1e9);

    String token = TestTokens.user("bench");
    warmUp(token);

    double[] health = sample(i -> api.get(null, "/actuator/health"));
    double[] listing = sample(i -> api.get(token, "/api/v1/tenants/" + randomTenant() + "/usage"));
    AtomicInteger keys = new AtomicInteger();
    double[] reserve = sample(i -> reserveOnce(api, token, keys.incrementAndGet()));

    System.out.println();
    System.out.println("tenant-service benchmark (ms)          p50      p95      p99");
    print("baseline: GET /actuator/health", health);
    print("list a tenant's projects with usage", listing);
    print("reserve quota (POST reservation)", reserve);

    double perSecond = throughput(token, keys);
    double healthPerSecond = healthThroughput();
    System.out.printf(
        "%-38s %8.0f /s  (baseline health checks: %.0f /s, %d clients)%n%n",
        "reservations under concurrency", perSecond, healthPerSecond, CLIENTS);
  }

  private void load() {
    jdbc.sql(
            "insert into tenant (name, display_name, created_by)"
                + " select 'bench-' || t, 'Bench ' || t, 'bench' from generate_series(1, ?) t")
        .param(TENANTS)
        .update();
    jdbc.sql(
            "insert into membership (tenant_id, username, role)"
                + " select id, 'bench', 'tenant-admin' from tenant where name like 'bench-%'")
        .update();
    jdbc.sql(
            "insert into tenant_quota (tenant_id, cpu_millicores, memory_mib, apps, replicas,"
                + " concurrent_builds, build_minutes, storage_mib)"
                + " select id, 1000000, 16000000, 100000, 100000, 1000, 1000000, 1000000"
                + " from tenant where name like 'bench-%'")
        .update();
    jdbc.sql(
            "insert into project (tenant_id, name, display_name, created_by)"
                + " select t.id, 'p' || p, 'p' || p, 'bench' from tenant t, generate_series(1, ?) p"
                + " where t.name like 'bench-%'")
        .param(PROJECTS)
        .update();
    jdbc.sql(
            "insert into app (tenant_id, project_id, name, source, created_by)"
                + " select p.tenant_id, p.id, 'a' || a, 'hosted-git', 'bench'"
                + " from project p join tenant t on t.id = p.tenant_id, generate_series(1, ?) a"
                + " where t.name like 'bench-%'")
        .param(APPS)
        .update();
    jdbc.sql(
            "insert into reservation (tenant_id, project_id, app_id, idempotency_key,"
                + " cpu_millicores, memory_mib, replicas, concurrent_builds, build_minutes,"
                + " storage_mib, period, created_by)"
                + " select a.tenant_id, a.project_id, a.id, 'seed-' || a.id, 250, 256, 1, 0, 0, 0,"
                + " to_char(now() at time zone 'utc', 'YYYY-MM'), 'bench' from app a")
        .update();
    jdbc.sql("analyze").update();
  }

  private void warmUp(String token) {
    AtomicInteger keys = new AtomicInteger(1_000_000);
    for (int i = 0; i < 500; i++) {
      api.get(null, "/actuator/health");
      api.get(token, "/api/v1/tenants/" + randomTenant() + "/usage");
      reserveOnce(api, token, keys.incrementAndGet());
    }
  }

  private static Response reserveOnce(Api client, String token, int key) {
    Map<String, Object> body = new HashMap<>();
    body.put("idempotencyKey", "bench-" + key);
    body.put("project", "p" + (1 + ThreadLocalRandom.current().nextInt(PROJECTS)));
    body.put("replicas", 1);
    body.put("memoryMib", 128);
    Response response =
        client.post(token, "/api/v1/tenants/" + randomTenant() + "/reservations", body);
    if (response.status() != 201) {
      throw new IllegalStateException("reservation failed: " + response.text());
    }
    return response;
  }

  private static String randomTenant() {
    return "bench-" + (1 + ThreadLocalRandom.current().nextInt(TENANTS));
  }

  private static double[] sample(IntFunction<Response> call) {
    double[] millis = new double[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      long start = System.nanoTime();
      Response response = call.apply(i);
      millis[i] = (System.nanoTime() - start) / 1e6;
      if (response.status() >= 300) {
        throw new IllegalStateException("request failed: " + response.text());
      }
    }
    Arrays.sort(millis);
    return millis;
  }

  private double throughput(String token, AtomicInteger keys) throws Exception {
    return concurrently(client -> reserveOnce(client, token, keys.incrementAndGet()));
  }

  private double healthThroughput() throws Exception {
    return concurrently(client -> client.get(null, "/actuator/health"));
  }

  private double concurrently(java.util.function.Function<Api, Response> call) throws Exception {
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        Api client = new Api(port);
        clients.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < THROUGHPUT_REQUESTS / CLIENTS; i++) {
                    call.apply(client);
                  }
                  return null;
                }));
      }
      for (Future<?> client : clients) {
        client.get();
      }
    }
    return THROUGHPUT_REQUESTS / ((System.nanoTime() - start) / 1e9);
  }

  private static void print(String label, double[] sorted) {
    System.out.printf(
        "%-38s %8.2f %8.2f %8.2f%n",
        label, percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99));
  }

  private static double percentile(double[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
