package io.slipway.build.egress;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Builds' egress ({@code slipway.build.egress.*}): what a sandboxed build may reach through
 * build-service's proxy (docs/security.md, "What a build can reach").
 *
 * @param enabledByDefault whether a tenant that never chose has build egress on
 * @param ports the ports a build may connect to
 * @param allowedCidrs private ranges a build may reach besides public addresses (a mirror on the
 *     operator's network); they never open loopback, link-local, the host's own addresses or its
 *     container networks
 * @param connectTimeout how long a connection to a server may take to open
 * @param idleTimeout how long a connection may pass nothing either way before it is closed
 * @param maxConnections how many connections a tenant's builds may hold open at once
 */
@Validated
@ConfigurationProperties("slipway.build.egress")
public record EgressProperties(
    @DefaultValue("true") boolean enabledByDefault,
    @NotEmpty @DefaultValue({"80", "443"}) List<@Min(1) @Max(65535) Integer> ports,
    @NotNull @DefaultValue List<String> allowedCidrs,
    @NotNull @DefaultValue("10s") Duration connectTimeout,
    @NotNull @DefaultValue("120s") Duration idleTimeout,
    @Min(1) @Max(4096) @DefaultValue("64") int maxConnections) {

  public EgressProperties {
    ports = List.copyOf(ports);
    allowedCidrs = List.copyOf(allowedCidrs);
    for (String cidr : allowedCidrs) {
      try {
        Cidr.parse(cidr);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "slipway.build.egress.allowed-cidrs: " + e.getMessage(), e);
      }
    }
  }

  List<Cidr> allowed() {
    return allowedCidrs.stream().map(Cidr::parse).toList();
  }
}
