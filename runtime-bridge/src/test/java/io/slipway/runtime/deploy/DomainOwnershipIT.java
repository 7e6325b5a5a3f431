package io.slipway.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.runtime.podman.TestImages;
import io.slipway.runtime.router.HostRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Proof of ownership of custom domains, end to end through the API with the real Caddy: a claim is
 * pending and not routed, the router answers its challenge, verify routes it; a wrong or missing
 * answer is refused in plain words; two tenants claim one domain, the first to verify wins and the
 * other is told "taken" and gets 404 on the winner's app; the platform's names are refused. The
 * domain resolves (through {@link TestDns}) to the test router on 127.0.0.1.
 */
class DomainOwnershipIT extends ApiFixture {

  private static final String WELL_KNOWN = "/.well-known/slipway-domain/";

  @Test
  void aDomainIsRoutedOnlyOnceProvenAndTheFirstTenantToProveItWins() throws Exception {
    String alice = aliceWithApp();
    String bob = user("bob");
    String other = tenant + "-b";
    String otherPath = "/api/v1/tenants/" + other + "/projects/web/apps/site";
    String domain = "own-" + suffix + ".example.com";
    String spare = "spare-" + suffix + ".example.com";
    try {
      bridge(
          alice,
          "POST",
          appPath + "/deployments",
          deployment(TestImages.httpd("owned", "alice's site\n"), 1, null),
          201);

      // Added: pending with a long random token and both ways to prove it; not routed.
      JsonNode claim =
          bridge(
              alice,
              "POST",
              appPath + "/domains",
              "{\"domain\":\"Own-" + suffix + ".example.com\"}",
              201);
      String token = claim.path("token").asString();
      assertThat(claim.path("domain").asString()).isEqualTo(domain);
      assertThat(claim.path("state").asString()).isEqualTo("pending");
      assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
      assertThat(claim.path("httpUrl").asString())
          .isEqualTo("http://" + domain + WELL_KNOWN + token);
      assertThat(claim.path("txtName").asString()).isEqualTo("_slipway-challenge." + domain);
      assertThat(HostRequest.get(CADDY.httpPort(), domain, "/").status()).isEqualTo(404);
      // the router answers the challenge, and only at the token's own path
      assertThat(HostRequest.get(CADDY.httpPort(), domain, WELL_KNOWN + token))
          .isEqualTo(new HostRequest.Answer(200, token));
      assertThat(HostRequest.get(CADDY.httpPort(), domain, WELL_KNOWN + "x" + token).status())
          .isEqualTo(404);
      // adding it again is the same claim, same token
      assertThat(
              bridge(alice, "POST", appPath + "/domains", "{\"domain\":\"" + domain + "\"}", 201)
                  .path("token")
                  .asString())
          .isEqualTo(token);
      reconciler.reconcile();
      assertThat(HostRequest.get(CADDY.httpPort(), domain, "/").status()).isEqualTo(404);

      // Not proven yet: no DNS record at all, then a TXT record with another token.
      JsonNode missing =
          bridge(alice, "POST", appPath + "/domains/" + domain + "/verify", null, 422);
      assertThat(missing.path("type").asString()).endsWith("/domain-not-verified");
      assertThat(missing.path("detail").asString())
          .contains("has no DNS record")
          .contains("there is no TXT record _slipway-challenge." + domain);
      TestDns.txt("_slipway-challenge." + domain, "not-" + token);
      JsonNode wrong = bridge(alice, "POST", appPath + "/domains/" + domain + "/verify", null, 422);
      assertThat(wrong.path("detail").asString())
          .contains("does not hold this domain's token")
          .doesNotContain("127.0.0.1");
      JsonNode listed = bridge(alice, "GET", appPath + "/domains", null, 200).path("domains");
      assertThat(listed.get(0).path("state").asString()).isEqualTo("pending");
      assertThat(listed.get(0).path("failure").asString()).contains("does not hold");
      TestDns.forget(domain);
      assertThat(HostRequest.get(CADDY.httpPort(), domain, "/").status()).isEqualTo(404);

      // Another tenant claims it too: its own token, its own challenge served beside alice's.
      tenantWithSite(bob, other);
      JsonNode bobs =
          bridge(bob, "POST", otherPath + "/domains", "{\"domain\":\"" + domain + "\"}", 201);
      String bobToken = bobs.path("token").asString();
      assertThat(bobToken).isNotEqualTo(token);
      assertThat(HostRequest.get(CADDY.httpPort(), domain, WELL_KNOWN + bobToken).body())
          .isEqualTo(bobToken);
      assertThat(HostRequest.get(CADDY.httpPort(), domain, WELL_KNOWN + token).body())
          .isEqualTo(token);

      // The domain points at the platform: alice verifies first and it is routed to her app.
      TestDns.point(domain, "127.0.0.1");
      JsonNode verified =
          bridge(alice, "POST", appPath + "/domains/" + domain + "/verify", null, 200);
      assertThat(verified.path("state").asString()).isEqualTo("verified");
      assertThat(verified.path("verifiedAt").asString()).isNotBlank();
      assertThat(HostRequest.get(CADDY.httpPort(), domain, "/").body()).isEqualTo("alice's site\n");
      assertThat(
              bridge(alice, "POST", appPath + "/domains/" + domain + "/verify", null, 200)
                  .path("state")
                  .asString())
          .isEqualTo("verified");
      reconciler.reconcile();
      assertThat(HostRequest.get(CADDY.httpPort(), domain, "/").body()).isEqualTo("alice's site\n");

      // Bob is too late: "taken", without a word of whose; alice's app is a 404 to him.
      JsonNode taken = bridge(bob, "POST", otherPath + "/domains/" + domain + "/verify", null, 409);
      assertThat(taken.path("type").asString()).endsWith("/domain-taken");
      assertThat(taken.path("detail").asString())
          .doesNotContain(tenant + "/")
          .doesNotContain("alice");
      assertThat(
              bridge(bob, "GET", otherPath + "/domains", null, 200)
                  .path("domains")
                  .get(0)
                  .path("state")
                  .asString())
          .isEqualTo("pending");
      bridge(bob, "GET", appPath + "/domains", null, 404);
      bridge(bob, "POST", appPath + "/domains/" + domain + "/verify", null, 404);
      bridge(bob, "DELETE", appPath + "/domains/" + domain, null, 404);
      assertThat(HostRequest.get(CADDY.httpPort(), domain, "/").body()).isEqualTo("alice's site\n");
      // a third claim, after it is verified, is refused at once
      createThirdTenantClaim(domain);

      // The platform's own names, pending or not, are never claimable.
      for (String platform :
          List.of(
              "x.apps.localhost",
              "site--web--" + tenant + ".apps.localhost",
              "portal.platform.test",
              "deep.id.platform.test")) {
        JsonNode refused =
            bridge(alice, "POST", appPath + "/domains", "{\"domain\":\"" + platform + "\"}", 422);
        assertThat(refused.path("type").asString()).endsWith("/platform-domain");
        assertThat(refused.path("detail").asString()).contains("platform's own domains");
      }
      assertThat(
              jdbc.sql(
                      "select count(*) from domain where domain like '%platform.test' or domain like '%localhost'")
                  .query(Integer.class)
                  .single())
          .isZero();

      // Given up: no route, and claimed again it starts pending with a new token.
      bridge(alice, "DELETE", appPath + "/domains/" + domain, null, 204);
      assertThat(HostRequest.get(CADDY.httpPort(), domain, "/").status()).isEqualTo(404);
      String again =
          bridge(alice, "POST", appPath + "/domains", "{\"domain\":\"" + domain + "\"}", 201)
              .path("token")
              .asString();
      assertThat(again).isNotEqualTo(token);
      assertThat(HostRequest.get(CADDY.httpPort(), domain, "/").status()).isEqualTo(404);

      // Deleting the app removes its challenges with it; bob's stays answered.
      bridge(alice, "POST", appPath + "/domains", "{\"domain\":\"" + spare + "\"}", 201);
      String spareToken =
          bridge(alice, "GET", appPath + "/domains", null, 200)
              .path("domains")
              .findValues("token")
              .stream()
              .map(JsonNode::asString)
              .filter(t -> !t.equals(again))
              .findFirst()
              .orElseThrow();
      assertThat(HostRequest.get(CADDY.httpPort(), spare, WELL_KNOWN + spareToken).body())
          .isEqualTo(spareToken);
      bridge(alice, "DELETE", appPath, null, 204);
      assertThat(HostRequest.get(CADDY.httpPort(), spare, WELL_KNOWN + spareToken).status())
          .isEqualTo(404);
      assertThat(CADDY.adminGet("/config/")).doesNotContain(spareToken).doesNotContain(again);
      assertThat(HostRequest.get(CADDY.httpPort(), domain, WELL_KNOWN + bobToken).body())
          .isEqualTo(bobToken);

      // Every change is in alice's audit trail.
      List<String> actions = new ArrayList<>();
      JSON.readTree(
              tenantService(
                  alice, "GET", "/api/v1/tenants/" + tenant + "/audit?size=100", null, 200))
          .path("items")
          .forEach(e -> actions.add(e.path("action").asString()));
      assertThat(actions)
          .contains(
              "domain.added", "domain.verification-failed", "domain.verified", "domain.removed");
    } finally {
      TestDns.forget(domain);
      jdbc.sql("delete from domain where tenant like ?").param(tenant + "-%").update();
      jdbc.sql("delete from app where tenant like ?").param(tenant + "-%").update();
      forgetTenant();
      reconciler.reconcile();
    }
  }

  private void createThirdTenantClaim(String domain) throws Exception {
    String carol = user("carol");
    String third = tenant + "-c";
    tenantWithSite(carol, third);
    JsonNode refused =
        bridge(
            carol,
            "POST",
            "/api/v1/tenants/" + third + "/projects/web/apps/site/domains",
            "{\"domain\":\"" + domain + "\"}",
            409);
    assertThat(refused.path("type").asString()).endsWith("/domain-taken");
  }
}
