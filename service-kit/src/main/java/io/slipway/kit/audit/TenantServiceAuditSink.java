package io.slipway.kit.audit;

import io.slipway.kit.client.TenantService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.client.RestClientResponseException;

/** Delivers audit events to tenant-service with the service's own client-credentials token. */
public final class TenantServiceAuditSink implements AuditSink {

  private static final Logger log = LoggerFactory.getLogger(TenantServiceAuditSink.class);

  private final TenantService tenantService;

  /**
   * @param tenantService tenant-service, called with the service's own token (fetched, and renewed,
   *     on each call)
   */
  public TenantServiceAuditSink(TenantService tenantService) {
    this.tenantService = tenantService;
  }

  @Override
  public Outcome send(String eventId, String json) {
    try {
      tenantService.audit(json);
      return Outcome.RECORDED;
    } catch (RestClientResponseException e) {
      int status = e.getStatusCode().value();
      // 401/403: a token or role not (yet) in place, 408/429 and 5xx: passing; all worth a retry.
      // Any other 4xx says the event itself is wrong: sending it again would be refused again.
      if (status / 100 == 4 && status != 401 && status != 403 && status != 408 && status != 429) {
        log.error(
            "tenant-service refused audit event {} ({}): {}; it stays in the outbox, marked refused",
            eventId,
            status,
            e.getResponseBodyAsString());
        return Outcome.REFUSED;
      }
      log.debug("audit event {} not delivered: tenant-service answered {}", eventId, status);
      return Outcome.RETRY;
    } catch (RuntimeException e) {
      // tenant-service (or Keycloak, for the token) unreachable: the event waits in the outbox
      log.debug("audit event {} not delivered: {}", eventId, e.toString());
      return Outcome.RETRY;
    }
  }
}
