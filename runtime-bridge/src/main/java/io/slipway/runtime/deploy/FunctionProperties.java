package io.slipway.runtime.deploy;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Functions' settings ({@code slipway.runtime.functions.*}), checked at start-up.
 *
 * @param activationRetention the most activations any tenant keeps, newest first (a tenant's {@code
 *     activations} quota may keep fewer); older ones are pruned
 * @param activationMaxAge how long an activation is kept at most
 * @param pruneInterval how often each replica prunes activations
 * @param usageInterval how often each replica reports to tenant-service the activations count of
 *     the tenants it wrote activations for since
 */
@Validated
@ConfigurationProperties("slipway.runtime.functions")
public record FunctionProperties(
    @DefaultValue("10000") @Min(1) @Max(10_000_000) int activationRetention,
    @DefaultValue("7d") @NotNull Duration activationMaxAge,
    @DefaultValue("5m") @NotNull Duration pruneInterval,
    @DefaultValue("30s") @NotNull Duration usageInterval) {}
