package io.slipway.runtime.deploy;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Scale to zero's settings ({@code slipway.runtime.scale-to-zero.*}), checked at start-up.
 *
 * @param checkInterval how often each replica samples the traffic of apps opted in (an idle app
 *     goes to zero at most this late after its idle period)
 * @param wakeTimeout how long the activator holds a request while the app wakes; after it, 503 with
 *     {@code Retry-After} (the wake goes on)
 * @param activatorListen where the activator listens ({@code host:port}; port 0: any free one), on
 *     an address only the router reaches
 */
@Validated
@ConfigurationProperties("slipway.runtime.scale-to-zero")
public record ScaleToZeroProperties(
    @DefaultValue("30s") @NotNull Duration checkInterval,
    @DefaultValue("30s") @NotNull Duration wakeTimeout,
    @DefaultValue("127.0.0.1:0") @NotBlank String activatorListen) {}
