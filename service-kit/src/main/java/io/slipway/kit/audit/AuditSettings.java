package io.slipway.kit.audit;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service records its audit events ({@code slipway.audit.*}, the same keys in every service).
 *
 * @param trustedProxies the addresses whose {@code X-Forwarded-For} is believed: the portal's (IP
 *     literals, or networks such as {@code 10.42.0.0/16} where the portal's address changes, as a
 *     Kubernetes pod's does). Both this and {@code portalClient} must hold for the header to count
 * @param portalClient the OAuth2 client id of the portal: only a request carrying a user's token
 *     issued to this client (the portal's confidential client: no one else can get one) may say
 *     whose address it forwards
 * @param relayInterval how often the outbox is looked at for events to send (each change also sends
 *     at once after it commits)
 * @param maxBackoff the longest wait between two tries of one event while tenant-service is down
 */
@ConfigurationProperties("slipway.audit")
public record AuditSettings(
    @DefaultValue({"127.0.0.1", "::1"}) List<String> trustedProxies,
    @DefaultValue("portal") String portalClient,
    @DefaultValue("5s") Duration relayInterval,
    @DefaultValue("5m") Duration maxBackoff) {

  public AuditSettings {
    trustedProxies = List.copyOf(trustedProxies);
    for (String proxy : trustedProxies) {
      if (!ClientAddress.isNetwork(proxy)) {
        throw new IllegalArgumentException(
            "slipway.audit.trusted-proxies must list IP addresses or CIDR networks, not '"
                + proxy
                + "'");
      }
    }
    if (relayInterval.isNegative() || relayInterval.isZero()) {
      throw new IllegalArgumentException("slipway.audit.relay-interval must be positive");
    }
    if (maxBackoff.compareTo(relayInterval) < 0) {
      throw new IllegalArgumentException(
          "slipway.audit.max-backoff must be at least slipway.audit.relay-interval");
    }
  }

  /** The defaults, for tests and tools that build the parts by hand. */
  public static AuditSettings defaults() {
    return new AuditSettings(
        List.of("127.0.0.1", "::1"), "portal", Duration.ofSeconds(5), Duration.ofMinutes(5));
  }
}
