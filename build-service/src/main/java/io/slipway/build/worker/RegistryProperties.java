package io.slipway.build.worker;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where built images are also pushed ({@code slipway.build.registry.*}). Optional: on one machine
 * podman runs images straight from containers-storage.
 *
 * @param url the registry's host and port, e.g. {@code registry.example.com:5000}; empty: no push
 * @param tlsVerify whether the registry's TLS certificate is checked ({@code false} also allows
 *     plain HTTP, for a registry on loopback)
 * @param timeout how long one push may take
 */
@Validated
@ConfigurationProperties("slipway.build.registry")
record RegistryProperties(
    @Pattern(regexp = "|[a-z0-9.-]+(:[0-9]{1,5})?(/[a-z0-9._-]+)*") @DefaultValue("") String url,
    @DefaultValue("true") boolean tlsVerify,
    @NotNull @DefaultValue("5m") Duration timeout) {

  boolean enabled() {
    return !url.isBlank();
  }
}
