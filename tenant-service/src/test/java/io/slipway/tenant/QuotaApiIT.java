package io.slipway.tenant;

import static io.slipway.tenant.support.TestTokens.platformAdmin;
import static io.slipway.tenant.support.TestTokens.service;
import static io.slipway.tenant.support.TestTokens.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.tenant.support.Api.Response;
import io.slipway.tenant.support.ServiceTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Quotas, usage and reservations through the REST API, on real PostgreSQL. */
class QuotaApiIT extends ServiceTest {

  private static final String PROBLEMS = "https://slipway.io/problems/";
  private final String admin = platformAdmin("root");

  private String alice;
  private String tenant;
  private String base;

  @BeforeEach
  void tenantWithProject() {
    alice = user(unique("alice"));
    tenant = unique("quota");
    base = "/api/v1/tenants/" + tenant;
    assertThat(api.post(alice, "/api/v1/tenants", Map.of("name", tenant)).status()).isEqualTo(201);
    assertThat(api.post(alice, base + "/projects", Map.of("name", "web")).status()).isEqualTo(201);
  }

  @Test
  void newTenantsGetTheDefaultQuotaAndOnlyPlatformAdminsChangeIt() {
    Response quota = api.get(alice, base + "/quota");
    assertThat(quota.json().path("limits").path("memoryMib").asLong()).isEqualTo(8192);
    assertThat(quota.json().path("limits").path("concurrentBuilds").asLong()).isEqualTo(2);
    assertThat(quota.json().path("used").path("memoryMib").asLong()).isZero();

    Response denied = api.put(alice, base + "/quota", limits(1000, 2048, 5));
    assertThat(denied.status()).isEqualTo(403);

    Response changed = api.put(admin, base + "/quota", limits(1000, 2048, 5));
    assertThat(changed.status()).isEqualTo(200);
    assertThat(api.get(alice, base + "/quota").json().path("limits").path("cpuMillicores").asLong())
        .isEqualTo(1000);
    Response trail =
        api.get(admin, "/api/v1/admin/audit?tenant=" + tenant + "&action=quota.updated");
    assertThat(trail.json().path("items").get(0).path("before").path("memoryMib").asLong())
        .isEqualTo(8192);
    assertThat(trail.json().path("items").get(0).path("after").path("memoryMib").asLong())
        .isEqualTo(2048);
  }

  @Test
  void badQuotaSizesAreRefusedNamingEveryField() {
    Map<String, Object> bad = limits(1000, 2048, 5);
    bad.put("memoryMib", -1);
    bad.put("replicas", 10_000_000);
    bad.remove("storageMib");
    Response response = api.put(admin, base + "/quota", bad);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.problemType()).isEqualTo(PROBLEMS + "invalid-request");
    assertThat(response.json().path("errors").valueStream().map(e -> e.path("field").asString()))
        .containsExactlyInAnyOrder("memoryMib", "replicas", "storageMib");
    assertThat(api.put(admin, base + "/quota", "{\"memoryMib\": \"lots\"}").status())
        .isEqualTo(400);
  }

  @Test
  void aProjectQuotaNeverExceedsItsTenantsAndIsClampedWhenTheTenantShrinks() {
    api.put(admin, base + "/quota", limits(1000, 2048, 5));
    Response tooBig = api.put(alice, base + "/projects/web/quota", Map.of("memoryMib", 4096));
    assertThat(tooBig.status()).isEqualTo(422);
    assertThat(tooBig.problemType()).isEqualTo(PROBLEMS + "project-quota-exceeds-tenant");
    assertThat(tooBig.json().path("detail").asString()).contains("memoryMib", "4096", "2048");

    Response fits = api.put(alice, base + "/projects/web/quota", Map.of("memoryMib", 1024));
    assertThat(fits.status()).isEqualTo(200);
    assertThat(fits.json().path("limits").path("memoryMib").asLong()).isEqualTo(1024);
    assertThat(fits.json().path("limits").path("cpuMillicores").isNull()).isTrue();
    assertThat(fits.json().path("effective").path("cpuMillicores").asLong()).isEqualTo(1000);

    api.put(admin, base + "/quota", limits(1000, 512, 5));
    Response clamped = api.get(alice, base + "/projects/web/quota");
    assertThat(clamped.json().path("limits").path("memoryMib").asLong()).isEqualTo(512);
  }

  @Test
  void reservationsAreIdempotentAndRefusedOverQuotaWithTheNumbers() {
    api.put(admin, base + "/quota", limits(1000, 1024, 5));
    Map<String, Object> twoReplicas = reservation("deploy-api-1", 2, 512);

    Response first = api.post(service("runtime-bridge"), base + "/reservations", twoReplicas);
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json().path("amounts").path("memoryMib").asLong()).isEqualTo(512);
    Response retry = api.post(service("runtime-bridge"), base + "/reservations", twoReplicas);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.json().path("createdAt").asString())
        .isEqualTo(first.json().path("createdAt").asString());
    assertThat(used("memoryMib")).isEqualTo(512);

    Response reused =
        api.post(bridge(), base + "/reservations", reservation("deploy-api-1", 3, 768));
    assertThat(reused.status()).isEqualTo(409);
    assertThat(reused.problemType()).isEqualTo(PROBLEMS + "idempotency-key-reused");

    Response over = api.post(bridge(), base + "/reservations", reservation("deploy-api-2", 2, 768));
    assertThat(over.status()).isEqualTo(409);
    assertThat(over.problemType()).isEqualTo(PROBLEMS + "quota-exceeded");
    assertThat(over.json().path("detail").asString())
        .isEqualTo(
            "The tenant '" + tenant + "' quota for memoryMib is 1024: 512 in use, 768 requested");
    assertThat(over.json().path("limit").asLong()).isEqualTo(1024);
    assertThat(used("memoryMib")).isEqualTo(512);

    assertThat(api.delete(bridge(), base + "/reservations/deploy-api-1").status()).isEqualTo(204);
    assertThat(api.delete(bridge(), base + "/reservations/deploy-api-1").status()).isEqualTo(204);
    assertThat(api.delete(bridge(), base + "/reservations/never-made").status()).isEqualTo(404);
    assertThat(used("memoryMib")).isZero();
    assertThat(
            api.post(bridge(), base + "/reservations", reservation("deploy-api-2", 2, 768))
                .status())
        .isEqualTo(201);
  }

  @Test
  void eachServiceReservesOnlyWhatItsWorkConsumes() {
    Map<String, Object> memory = reservation("svc-1", 1, 128);
    Response buildTakesMemory = api.post(service("build-service"), base + "/reservations", memory);
    assertThat(buildTakesMemory.status()).isEqualTo(403);
    assertThat(buildTakesMemory.json().path("detail").asString())
        .isEqualTo("Service 'build-service' may not reserve memoryMib");
    assertThat(api.post(service("unknown-service"), base + "/reservations", memory).status())
        .isEqualTo(403);
    assertThat(api.post(service("runtime-bridge"), base + "/reservations", memory).status())
        .isEqualTo(201);
    Response releaseOthers = api.delete(service("build-service"), base + "/reservations/svc-1");
    assertThat(releaseOthers.status()).isEqualTo(403);
    assertThat(used("memoryMib")).isEqualTo(128);
    assertThat(api.delete(service("runtime-bridge"), base + "/reservations/svc-1").status())
        .isEqualTo(204);
  }

  @Test
  void usageHistoryShowsWhatWasHeldAtTheEndOfEachDay() {
    api.post(bridge(), base + "/reservations", reservation("h1", 2, 256));
    api.post(bridge(), base + "/reservations", reservation("h2", 1, 128));
    api.delete(bridge(), base + "/reservations/h2");
    Response history = api.get(alice, base + "/usage/history?days=3");
    assertThat(history.status()).isEqualTo(200);
    var days = history.json().path("days");
    assertThat(days.size()).isEqualTo(3);
    // earlier days held nothing; today holds what is still reserved now
    assertThat(days.get(0).path("memoryMib").asLong()).isZero();
    assertThat(days.get(2).path("memoryMib").asLong()).isEqualTo(256);
    assertThat(days.get(2).path("replicas").asLong()).isEqualTo(2);
    assertThat(days.get(2).path("day").asString())
        .isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
    assertThat(api.get(alice, base + "/usage/history?days=91").status()).isEqualTo(422);
  }

  @Test
  void projectQuotasBindReservationsToo() {
    api.put(alice, base + "/projects/web/quota", Map.of("replicas", 1));
    Response over = api.post(bridge(), base + "/reservations", reservation("r1", 2, 128));
    assertThat(over.status()).isEqualTo(409);
    assertThat(over.json().path("scope").asString()).isEqualTo("project '" + tenant + "/web'");
  }

  @Test
  void loweringAQuotaBelowUsageShowsTheOverageAndRefusesNewReservations() {
    api.post(bridge(), base + "/reservations", reservation("big", 4, 4096));
    Response lowered = api.put(admin, base + "/quota", limits(4000, 1024, 20));
    assertThat(lowered.status()).isEqualTo(200);
    assertThat(lowered.json().path("overages").path("memoryMib").asLong()).isEqualTo(3072);

    Response usage = api.get(alice, base + "/usage");
    assertThat(usage.json().path("overages").path("memoryMib").asLong()).isEqualTo(3072);
    JsonProject web = JsonProject.of(usage);
    assertThat(web.used("memoryMib")).isEqualTo(4096);
    assertThat(web.overage("memoryMib")).isEqualTo(3072);

    Response refused = api.post(bridge(), base + "/reservations", reservation("small", 1, 1));
    assertThat(refused.status()).isEqualTo(409);
    // still held: lowering a quota never releases what runs
    assertThat(used("memoryMib")).isEqualTo(4096);
  }

  @Test
  void buildMinutesStayCountedForTheMonthAfterRelease() {
    Map<String, Object> build = new HashMap<>();
    build.put("idempotencyKey", "build-7");
    build.put("project", "web");
    build.put("concurrentBuilds", 1);
    build.put("buildMinutes", 10);
    api.post(service("build-service"), base + "/reservations", build);
    assertThat(used("concurrentBuilds")).isEqualTo(1);
    api.delete(service("build-service"), base + "/reservations/build-7?buildMinutesUsed=3");
    assertThat(used("concurrentBuilds")).isZero();
    assertThat(used("buildMinutes")).isEqualTo(3);
  }

  @Test
  void theAppsQuotaCountsTheCatalog() {
    Map<String, Object> quota = limits(1000, 1024, 5);
    quota.put("apps", 2);
    api.put(admin, base + "/quota", quota);
    String apps = base + "/projects/web/apps";
    assertThat(api.post(alice, apps, Map.of("name", "a")).status()).isEqualTo(201);
    assertThat(api.post(alice, apps, Map.of("name", "b")).status()).isEqualTo(201);
    Response third = api.post(alice, apps, Map.of("name", "c"));
    assertThat(third.status()).isEqualTo(409);
    assertThat(third.json().path("detail").asString())
        .isEqualTo("The tenant '" + tenant + "' quota for apps is 2: 2 in use, 1 requested");
    assertThat(used("apps")).isEqualTo(2);
  }

  @Test
  void aDeletedAppsReservationsCountUntilTheirHolderReleasesThem() {
    api.post(alice, base + "/projects/web/apps", Map.of("name", "api"));
    Map<String, Object> forApp = reservation("deploy-1", 1, 128);
    forApp.put("app", "api");
    assertThat(api.post(bridge(), base + "/reservations", forApp).status()).isEqualTo(201);
    // deleting the app is announced to runtime-bridge, which stops it and then releases what it
    // held: until then the compute still counts (issue 17)
    assertThat(api.delete(alice, base + "/projects/web/apps/api").status()).isEqualTo(204);
    assertThat(used("memoryMib")).isEqualTo(128);
    assertThat(api.delete(bridge(), base + "/reservations/deploy-1").status()).isEqualTo(204);
    assertThat(used("memoryMib")).isZero();
  }

  @Test
  void platformAdminsSeeEveryTenantWithUsage() {
    api.post(bridge(), base + "/reservations", reservation("r", 1, 256));
    Response page = api.get(admin, "/api/v1/admin/tenants?q=" + tenant);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.json().path("total").asLong()).isEqualTo(1);
    assertThat(page.json().path("items").get(0).path("used").path("memoryMib").asLong())
        .isEqualTo(256);
    assertThat(api.get(alice, "/api/v1/admin/tenants").status()).isEqualTo(403);
  }

  @Test
  void theTenantOverviewIsSortedByUsageOrOveragesInTheDatabase() {
    String prefix = unique("srt");
    String[] names = {prefix + "-a", prefix + "-b", prefix + "-c"};
    long[] memory = {512, 2048, 128};
    for (int i = 0; i < names.length; i++) {
      String owner = user(unique("owner"));
      String path = "/api/v1/tenants/" + names[i];
      assertThat(api.post(owner, "/api/v1/tenants", Map.of("name", names[i])).status())
          .isEqualTo(201);
      api.post(owner, path + "/projects", Map.of("name", "web"));
      api.post(bridge(), path + "/reservations", reservation("r", 1, memory[i]));
    }
    // c is over quota (memory lowered below what it holds): first when ordered by overages
    api.put(admin, "/api/v1/tenants/" + names[2] + "/quota", limits(1000, 64, 5));

    assertThat(order("memoryMib,desc", prefix)).containsExactly(names[1], names[0], names[2]);
    assertThat(order("memoryMib", prefix)).containsExactly(names[2], names[0], names[1]);
    assertThat(order("overages,desc", prefix)).containsExactly(names[2], names[0], names[1]);
    assertThat(order("name,desc", prefix)).containsExactly(names[2], names[1], names[0]);
    Response page =
        api.get(admin, "/api/v1/admin/tenants?q=" + prefix + "&sort=memoryMib,desc&size=2&page=1");
    assertThat(page.json().path("total").asLong()).isEqualTo(3);
    assertThat(page.json().path("items").get(0).path("name").asString()).isEqualTo(names[2]);

    Response bad = api.get(admin, "/api/v1/admin/tenants?sort=shoeSize");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.problemType()).isEqualTo(PROBLEMS + "invalid-sort");
    assertThat(api.get(alice, "/api/v1/admin/tenants?sort=shoeSize").status()).isEqualTo(403);
  }

  private java.util.List<String> order(String sort, String search) {
    Response page = api.get(admin, "/api/v1/admin/tenants?q=" + search + "&sort=" + sort);
    assertThat(page.status()).as(sort).isEqualTo(200);
    return page.json().path("items").valueStream().map(t -> t.path("name").asString()).toList();
  }

  @Test
  void requestsWithoutAValidTokenAreUnauthorized() {
    assertThat(api.get(null, base).status()).isEqualTo(401);
    assertThat(api.get("not-a-jwt", base).status()).isEqualTo(401);
    assertThat(
            api.get(io.slipway.tenant.support.TestTokens.forged("root"), "/api/v1/admin/tenants")
                .status())
        .isEqualTo(401);
    assertThat(
            api.get(io.slipway.tenant.support.TestTokens.expired("x"), "/api/v1/tenants").status())
        .isEqualTo(401);
    assertThat(api.get(null, "/actuator/health").status()).isEqualTo(200);
    assertThat(
            api.get(null, "/v3/api-docs")
                .json()
                .path("paths")
                .has("/api/v1/tenants/{tenant}/reservations"))
        .isTrue();
    JsonNode document = api.get(null, "/v3/api-docs").json();
    io.slipway.testing.ApiDocumentSnapshot.check("tenant-service", document.toString());
    assertThat(document.path("info").path("title").asString())
        .isEqualTo("Slipway tenant-service API");
    assertThat(
            document
                .path("components")
                .path("securitySchemes")
                .path("bearer")
                .path("scheme")
                .asString())
        .isEqualTo("bearer");
  }

  /** runtime-bridge's service token: only services hold reservations. */
  private static String bridge() {
    return service("runtime-bridge");
  }

  @Test
  void tenantUsersNeverReserveReadOrReleaseQuota() {
    assertThat(api.post(bridge(), base + "/reservations", reservation("held", 1, 256)).status())
        .isEqualTo(201);
    String developerName = unique("dev");
    String developer = user(developerName);
    api.put(alice, base + "/members/" + developerName, Map.of("role", "developer"));
    for (String member : java.util.List.of(alice, developer)) {
      Response release = api.delete(member, base + "/reservations/held");
      assertThat(release.status()).isEqualTo(403);
      assertThat(release.json().path("detail").asString())
          .isEqualTo(
              "Only Slipway's services hold quota reservations; quota is freed by stopping or"
                  + " deleting what uses it");
      assertThat(api.post(member, base + "/reservations", reservation("mine", 1, 1)).status())
          .isEqualTo(403);
      assertThat(api.get(member, base + "/reservations").status()).isEqualTo(403);
      assertThat(api.get(member, base + "/reservations/held").status()).isEqualTo(403);
    }
    // still held: nothing a tenant user sent freed it
    assertThat(used("memoryMib")).isEqualTo(256);
    // a platform admin may repair the ledger, and that release is audited
    assertThat(api.delete(admin, base + "/reservations/held").status()).isEqualTo(204);
    assertThat(used("memoryMib")).isZero();
    Response trail = api.get(alice, base + "/audit?action=reservation.released");
    assertThat(trail.json().path("items").get(0).path("target").asString())
        .isEqualTo(tenant + "/web/held");
  }

  @Test
  void aMeasurementIsTheTenantsUsageReplacedByTheNextAndTenantUsersNeverChangeIt() {
    api.put(admin, base + "/quota", limits(1000, 1024, 5));
    String store = base + "/measured-usage/build-store";

    Response first = api.put(service("build-service"), store, Map.of("storageMib", 300));
    assertThat(first.status()).as(first.json().toString()).isEqualTo(200);
    assertThat(used("storageMib")).isEqualTo(300);
    // the next measurement replaces it, never adds to it
    assertThat(api.put(service("build-service"), store, Map.of("storageMib", 120)).status())
        .isEqualTo(200);
    assertThat(used("storageMib")).isEqualTo(120);
    // what is measured is in use: over the quota is shown, not refused
    assertThat(api.put(service("build-service"), store, Map.of("storageMib", 1500)).status())
        .isEqualTo(200);
    assertThat(used("storageMib")).isEqualTo(1500);
    // each service's key is its own part of the sum, listed in the tenant's usage
    assertThat(
            api.put(service("build-service"), base + "/measured-usage/git", Map.of("storageMib", 2))
                .status())
        .isEqualTo(200);
    assertThat(used("storageMib")).isEqualTo(1502);
    Response usage = api.get(alice, base + "/usage");
    assertThat(usage.json().path("measured").toString())
        .isEqualTo(
            "[{\"key\":\"build-store\",\"storageMib\":1500,\"activations\":0},"
                + "{\"key\":\"git\",\"storageMib\":2,\"activations\":0}]");
    assertThat(usage.json().path("used").path("storageMib").asLong()).isEqualTo(1502);
    api.put(service("build-service"), base + "/measured-usage/git", Map.of("storageMib", 0));
    Response refused =
        api.post(
            service("build-service"),
            base + "/reservations",
            Map.of("idempotencyKey", "after", "project", "web", "storageMib", 1));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().path("detail").asString())
        .isEqualTo(
            "The tenant '" + tenant + "' quota for storageMib is 1024: 1500 in use, 1 requested");

    // only the service that measures, and only what its work uses
    assertThat(api.put(bridge(), store, Map.of("storageMib", 0)).status()).isEqualTo(403);
    String developerName = unique("dev");
    String developer = user(developerName);
    api.put(alice, base + "/members/" + developerName, Map.of("role", "developer"));
    for (String member : java.util.List.of(alice, developer)) {
      assertThat(api.put(member, store, Map.of("storageMib", 0)).status()).isEqualTo(403);
      assertThat(api.delete(member, base + "/reservations/measured:build-store").status())
          .isEqualTo(403);
    }
    assertThat(used("storageMib")).isEqualTo(1500);
    assertThat(
            api.put(service("build-service"), base + "/measured-usage/Bad/Key", Map.of()).status())
        .isEqualTo(404);
    assertThat(
            api.put(service("build-service"), base + "/measured-usage/bad_key", Map.of()).status())
        .isEqualTo(422);
  }

  @Test
  void activationsAreAPerTenantQuotaThatOnlyRuntimeBridgeMeasures() {
    // every tenant starts with the bridge's own retention cap, so nothing it keeps changes
    JsonNode quota = api.get(alice, base + "/quota").json();
    assertThat(quota.path("limits").path("activations").asLong()).isEqualTo(10_000);
    assertThat(quota.path("used").path("activations").asLong()).isZero();
    // a PUT of the seven older resources keeps it; a platform admin sets it, audited
    assertThat(api.put(admin, base + "/quota", limits(1000, 1024, 5)).status()).isEqualTo(200);
    assertThat(limit("activations")).isEqualTo(10_000);
    Map<String, Object> lower = limits(1000, 1024, 5);
    lower.put("activations", 50);
    assertThat(api.put(alice, base + "/quota", lower).status()).isEqualTo(403);
    assertThat(api.put(admin, base + "/quota", lower).status()).isEqualTo(200);
    assertThat(limit("activations")).isEqualTo(50);
    Response trail =
        api.get(admin, "/api/v1/admin/audit?tenant=" + tenant + "&action=quota.updated");
    assertThat(trail.json().path("items").get(0).path("after").path("activations").asLong())
        .isEqualTo(50);
    lower.put("activations", 10_000_001);
    Response tooMany = api.put(admin, base + "/quota", lower);
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().path("detail").asString())
        .isEqualTo("activations must be between 0 and 10000000");

    // runtime-bridge's count replaces the last; over the limit is shown, never refused (the bridge
    // prunes to it)
    String kept = base + "/measured-usage/activations";
    Response measured = api.put(bridge(), kept, Map.of("activations", 80));
    assertThat(measured.status()).as(measured.json().toString()).isEqualTo(200);
    assertThat(used("activations")).isEqualTo(80);
    assertThat(api.get(alice, base + "/quota").json().path("overages").path("activations").asLong())
        .isEqualTo(30);
    assertThat(api.put(bridge(), kept, Map.of("activations", 50)).status()).isEqualTo(200);
    Response usage = api.get(alice, base + "/usage");
    assertThat(usage.json().path("used").path("activations").asLong()).isEqualTo(50);
    assertThat(usage.json().path("overages").has("activations")).isFalse();
    assertThat(usage.json().path("measured").toString())
        .isEqualTo("[{\"key\":\"activations\",\"storageMib\":0,\"activations\":50}]");
    assertThat(used("storageMib")).isZero();
    Response overview = api.get(admin, "/api/v1/admin/tenants?q=" + tenant + "&sort=activations");
    assertThat(overview.json().path("items").get(0).path("used").path("activations").asLong())
        .isEqualTo(50);

    // per tenant only: a project has none in force and may not set one
    String projectQuota = base + "/projects/web/quota";
    assertThat(api.get(alice, projectQuota).json().path("effective").path("activations").isNull())
        .isTrue();
    Response perProject = api.put(alice, projectQuota, Map.of("activations", 10));
    assertThat(perProject.status()).isEqualTo(422);
    assertThat(perProject.problemType()).isEqualTo(PROBLEMS + "per-tenant-quota");
    assertThat(perProject.json().path("detail").asString())
        .isEqualTo(
            "activations is limited per tenant, not per project: leave it out of the project's"
                + " quota (a platform admin sets it on the tenant's)");

    // only runtime-bridge reports activations, even at 0 and under a key of its own
    Response storageService =
        api.put(service("build-service"), base + "/measured-usage/fn", Map.of("activations", 0));
    assertThat(storageService.status()).isEqualTo(403);
    assertThat(storageService.json().path("detail").asString())
        .isEqualTo("Service 'build-service' may not report activations");
    assertThat(api.put(service("build-service"), kept, Map.of("storageMib", 1)).status())
        .isEqualTo(403);
    assertThat(api.put(bridge(), kept, Map.of("storageMib", 1)).status()).isEqualTo(403);
    // runtime-bridge's storage is its VMs' disks, under that key alone: never one of
    // build-service's stores (a key is kept by the service that measured it first)
    for (String other : java.util.List.of("git", "images", "vm-disk")) {
      Response taken =
          api.put(bridge(), base + "/measured-usage/" + other, Map.of("storageMib", 1));
      assertThat(taken.status()).isEqualTo(403);
      assertThat(taken.json().path("detail").asString())
          .isEqualTo("Service 'runtime-bridge' may not report storageMib");
    }
    String disks = base + "/measured-usage/vm-disks";
    assertThat(api.put(bridge(), disks, Map.of("storageMib", 7)).status()).isEqualTo(200);
    assertThat(used("storageMib")).isEqualTo(7);
    assertThat(api.put(bridge(), disks, Map.of("storageMib", 0)).status()).isEqualTo(200);
    assertThat(used("storageMib")).isZero();
    assertThat(api.put(service("build-service"), disks, Map.of("storageMib", 1)).status())
        .isEqualTo(403);
    String developerName = unique("dev");
    String developer = user(developerName);
    api.put(alice, base + "/members/" + developerName, Map.of("role", "developer"));
    for (String member : java.util.List.of(alice, developer)) {
      assertThat(api.put(member, kept, Map.of("activations", 0)).status()).isEqualTo(403);
    }
    // another tenant's admin does not learn the tenant exists
    String mallory = user(unique("mallory"));
    api.post(mallory, "/api/v1/tenants", Map.of("name", unique("mal")));
    assertThat(api.put(mallory, kept, Map.of("activations", 0)).status()).isEqualTo(404);
    assertThat(used("activations")).isEqualTo(50);
  }

  private long limit(String resource) {
    return api.get(alice, base + "/quota").json().path("limits").path(resource).asLong();
  }

  private long used(String resource) {
    return api.get(alice, base + "/quota").json().path("used").path(resource).asLong();
  }

  private static Map<String, Object> limits(long cpu, long memory, long replicas) {
    Map<String, Object> limits = new HashMap<>();
    limits.put("cpuMillicores", cpu);
    limits.put("memoryMib", memory);
    limits.put("apps", 20);
    limits.put("replicas", replicas);
    limits.put("concurrentBuilds", 2);
    limits.put("buildMinutes", 100);
    limits.put("storageMib", 1024);
    return limits;
  }

  private static Map<String, Object> reservation(String key, long replicas, long memory) {
    Map<String, Object> body = new HashMap<>();
    body.put("idempotencyKey", key);
    body.put("project", "web");
    body.put("replicas", replicas);
    body.put("memoryMib", memory);
    return body;
  }

  private record JsonProject(tools.jackson.databind.JsonNode node) {
    static JsonProject of(Response usage) {
      return new JsonProject(usage.json().path("projects").path("items").get(0));
    }

    long used(String resource) {
      return node.path("used").path(resource).asLong();
    }

    long overage(String resource) {
      return node.path("overages").path(resource).asLong();
    }
  }
}
