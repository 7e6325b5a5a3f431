package io.slipway.tenant.support;

import static io.slipway.tenant.support.TestTokens.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.tenant.support.Api.Response;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The deletion-event feed as build-service and runtime-bridge read it, for tests. */
public final class EventFeed {

  private static final String FEED = "/api/v1/internal/events";

  private EventFeed() {}

  /** The feed's newest sequence number now: what a test's own events come after. */
  public static long last(Api api) {
    long cursor = 0;
    while (true) {
      Response page = api.get(service("runtime-bridge"), FEED + "?after=" + cursor + "&limit=500");
      long next = page.json().path("next").asLong();
      if (next == cursor) {
        return cursor;
      }
      cursor = next;
    }
  }

  /** Up to 500 events after {@code after}, of every tenant. */
  public static List<JsonNode> after(Api api, long after) {
    Response page = api.get(service("build-service"), FEED + "?after=" + after + "&limit=500");
    assertThat(page.status()).isEqualTo(200);
    return page.json().path("items").valueStream().toList();
  }

  /** The events of tenant {@code tenant} after {@code after}. */
  public static List<JsonNode> of(Api api, String tenant, long after) {
    return after(api, after).stream()
        .filter(e -> e.path("tenant").asString().equals(tenant))
        .toList();
  }
}
