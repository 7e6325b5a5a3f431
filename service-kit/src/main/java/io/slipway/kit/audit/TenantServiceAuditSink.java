package io.slipway.kit.audit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers audit events to tenant-service with the service's own client-credentials token. */
public final class TenantServiceAuditSink implements AuditSink {

  private static final Logger log = LoggerFactory.getLogger(TenantServiceAuditSink.class);

  private final URI endpoint;
  private final Supplier<String> serviceToken;
  private final HttpClient http;

  /**
   * @param tenantApi tenant-service's base URL
   * @param serviceToken the service's access token, fetched (and renewed) on each call
   */
  public TenantServiceAuditSink(URI tenantApi, Supplier<String> serviceToken, HttpClient http) {
    this.endpoint = tenantApi.resolve("/api/v1/internal/audit");
    this.serviceToken = serviceToken;
    this.http = http;
  }

  @Override
  public Outcome send(String eventId, String json) {
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(endpoint)
                  .timeout(Duration.ofSeconds(10))
                  .header("Authorization", "Bearer " + serviceToken.get())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException | RuntimeException e) {
      // tenant-service (or Keycloak, for the token) unreachable: the event waits in the outbox
      log.debug("audit event {} not delivered: {}", eventId, e.toString());
      return Outcome.RETRY;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.RETRY;
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return Outcome.RECORDED;
    }
    // 401/403: a token or role not (yet) in place, 408/429 and 5xx: passing; all worth a retry.
    // Any other 4xx says the event itself is wrong: sending it again would be refused again.
    if (status / 100 == 4 && status != 401 && status != 403 && status != 408 && status != 429) {
      log.error(
          "tenant-service refused audit event {} ({}): {}; it stays in the outbox, marked refused",
          eventId,
          status,
          response.body());
      return Outcome.REFUSED;
    }
    log.debug("audit event {} not delivered: tenant-service answered {}", eventId, status);
    return Outcome.RETRY;
  }
}
