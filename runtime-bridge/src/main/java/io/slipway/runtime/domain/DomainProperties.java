package io.slipway.runtime.domain;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How custom domains are proven ({@code slipway.runtime.domains.*}).
 *
 * @param challengePort the port the HTTP check connects to on the domain's address (the router's
 *     public HTTP port)
 * @param routerAddresses the router's own addresses: the HTTP check may connect to these even when
 *     they are private or loopback addresses (every other such address is refused)
 * @param platformHosts the platform's own host names besides the apps domain (portal, identity
 *     provider, API): never claimable, nor any name under them
 * @param checkTimeout the budget of each check (HTTP: connect, send and read; DNS: the lookup)
 */
@Validated
@ConfigurationProperties("slipway.runtime.domains")
public record DomainProperties(
    @DefaultValue("80") @Min(1) @Max(65535) int challengePort,
    @DefaultValue("") @NotNull List<String> routerAddresses,
    @DefaultValue("") @NotNull List<String> platformHosts,
    @DefaultValue("5s") @NotNull Duration checkTimeout) {}
