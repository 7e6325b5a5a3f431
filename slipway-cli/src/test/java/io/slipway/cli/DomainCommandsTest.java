package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.cli.api.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** domains add, verify, list and remove: what is sent, what is shown, how each failure exits. */
class DomainCommandsTest extends LoggedInCommandTest {

  private static final String DOMAINS = "/api/v1/tenants/acme/projects/web/apps/site/domains";
  private static final String PENDING =
      "{\"domain\":\"shop.example.com\",\"state\":\"pending\",\"token\":\"tok123\","
          + "\"httpUrl\":\"http://shop.example.com/.well-known/slipway-domain/tok123\","
          + "\"txtName\":\"_slipway-challenge.shop.example.com\",\"failure\":null,"
          + "\"checkedAt\":null,\"verifiedAt\":null}";
  private static final String[] APP = {"-t", "acme", "-p", "web", "-a", "site"};

  private Run.Result run(String... words) {
    String[] all = new String[words.length + APP.length];
    System.arraycopy(words, 0, all, 0, words.length);
    System.arraycopy(APP, 0, all, words.length, APP.length);
    return cli.run(all);
  }

  @Test
  void addShowsTheTwoWaysToProveTheDomain() {
    service.answer("POST " + DOMAINS, 201, PENDING);

    Run.Result result = run("domains", "add", "shop.example.com");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(Json.object(Json.parse(service.last().body())))
        .isEqualTo(Map.of("domain", "shop.example.com"));
    assertThat(result.out())
        .contains("pending")
        .contains("http://shop.example.com/.well-known/slipway-domain/tok123")
        .contains("_slipway-challenge.shop.example.com")
        .contains("tok123");
  }

  @Test
  void verifyPostsToTheDomainsVerifyPathAndShowsTheState() {
    service.answer(
        "POST " + DOMAINS + "/shop.example.com/verify",
        200,
        PENDING
            .replace("\"pending\"", "\"verified\"")
            .replace("\"verifiedAt\":null", "\"verifiedAt\":\"2026-12-04T20:00:00Z\""));

    Run.Result result = run("domains", "verify", "Shop.Example.com.");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(service.last().rawPath()).isEqualTo(DOMAINS + "/shop.example.com/verify");
    assertThat(result.out()).contains("verified").contains("2026-12-04T20:00:00Z");
  }

  @Test
  void aDomainNotProvenYetExits2WithTheReasonAndOneTakenExits7() {
    service.problem(
        "POST " + DOMAINS + "/shop.example.com/verify",
        422,
        "domain-not-verified",
        "'shop.example.com' is not verified yet: HTTP: shop.example.com has no DNS record");
    Run.Result unproven = run("domains", "verify", "shop.example.com");
    assertThat(unproven.code()).isEqualTo(2);
    assertThat(unproven.err()).contains("has no DNS record").doesNotContain("Exception");

    service.problem(
        "POST " + DOMAINS + "/shop.example.com/verify",
        409,
        "domain-taken",
        "The domain 'shop.example.com' is already used by another app");
    Run.Result taken = run("domains", "verify", "shop.example.com");
    assertThat(taken.code()).isEqualTo(7);
    assertThat(taken.err()).contains("already used by another app");
  }

  @Test
  void listAsJsonIsTheServicesObjectsAndRemoveEncodesTheName() {
    service.answer("GET " + DOMAINS, 200, "{\"domains\":[" + PENDING + "]}");
    Run.Result listed = run("domains", "list", "-o", "json");
    assertThat(listed.code()).as(listed.err()).isZero();
    List<?> items = (List<?>) Json.parse(listed.out());
    assertThat(Json.object(items.getFirst()))
        .containsEntry("domain", "shop.example.com")
        .containsEntry("state", "pending")
        .containsEntry("token", "tok123");

    service.answer("DELETE " + DOMAINS + "/a%2Fb.example.com", 204, "");
    Run.Result removed = run("domains", "remove", "a/b.example.com");
    assertThat(service.last().rawPath()).isEqualTo(DOMAINS + "/a%2Fb.example.com");
    assertThat(removed.code()).as(removed.err()).isZero();
    assertThat(removed.out()).contains("Removed domain a/b.example.com");
  }
}
