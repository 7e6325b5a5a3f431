package io.slipway.build.registry;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The registry token service ({@code slipway.build.registry.auth.*}): off by default, so a registry
 * that accepts anonymous pushes keeps working as before.
 *
 * @param enabled whether build-service issues registry tokens, serves the robot accounts API and
 *     pushes with the platform credential
 * @param issuer the tokens' {@code iss}: the registry's {@code auth.token.issuer}
 * @param service the tokens' {@code aud}: the registry's {@code auth.token.service}
 * @param keyDir where the token signing key and its certificate are kept; empty: {@code
 *     <data-dir>/.registry-auth}. Generated at the first start
 * @param rootCertBundle where the signing certificate is also written, for the registry's {@code
 *     auth.token.rootcertbundle}; empty: only {@code <key-dir>/token-cert.pem}
 * @param platformUsername the user build-service pushes as
 * @param platformPassword its password (a secret; required when enabled)
 * @param tokenLifetime how long an issued token is good for
 * @param maxRobots how many robot accounts one tenant may have
 */
@Validated
@ConfigurationProperties("slipway.build.registry.auth")
public record RegistryAuthProperties(
    @DefaultValue("false") boolean enabled,
    @NotBlank @DefaultValue("slipway-build") String issuer,
    @NotBlank @DefaultValue("slipway-registry") String service,
    @DefaultValue("") String keyDir,
    @DefaultValue("") String rootCertBundle,
    @NotBlank @DefaultValue("slipway-build") String platformUsername,
    @DefaultValue("") String platformPassword,
    @NotNull @DefaultValue("5m") Duration tokenLifetime,
    @Min(1) @Max(1000) @DefaultValue("20") int maxRobots) {

  public RegistryAuthProperties {
    if (enabled && platformPassword.length() < 16) {
      throw new IllegalArgumentException(
          "slipway.build.registry.auth.platform-password must be set (16 characters or more)"
              + " when slipway.build.registry.auth.enabled is true");
    }
    if (platformUsername.contains("+") || platformUsername.contains(":")) {
      // a robot's username holds a '+'; Basic credentials split at the first ':'
      throw new IllegalArgumentException(
          "slipway.build.registry.auth.platform-username may hold neither '+' nor ':'");
    }
  }

  Path keys(Path dataDir) {
    return keyDir.isBlank() ? dataDir.resolve(".registry-auth") : Path.of(keyDir);
  }
}
