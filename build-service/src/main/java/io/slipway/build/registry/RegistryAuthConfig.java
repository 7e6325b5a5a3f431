package io.slipway.build.registry;

import io.slipway.build.BuildProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The token service and robot accounts, wired only when {@code slipway.build.registry.auth.enabled}
 * is true: otherwise neither {@code /v2/token} nor the robots API exists.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "slipway.build.registry.auth.enabled", havingValue = "true")
class RegistryAuthConfig {

  private static final Logger log = LoggerFactory.getLogger(RegistryAuthConfig.class);

  @Bean
  TokenSigner registryTokenSigner(
      RegistryAuthProperties properties,
      BuildProperties build,
      @Value("${slipway.build.registry.url:}") String registryUrl)
      throws IOException, GeneralSecurityException, InterruptedException {
    if (registryUrl.contains("/")) {
      // grants are decided on names that start with the tenant's id: under a path they never would
      throw new IllegalStateException(
          "slipway.build.registry.url="
              + registryUrl
              + " has a path, which slipway.build.registry.auth.enabled does not support: the"
              + " registry's repositories must be <tenant id>/<project id>/<app id> at its root");
    }
    Path dir = properties.keys(build.dataDir()).toAbsolutePath();
    TokenSigner signer = TokenSigner.open(dir, properties);
    log.info(
        "Registry tokens signed with the key in {} (certificate {})",
        dir,
        properties.rootCertBundle().isBlank()
            ? dir.resolve("token-cert.pem")
            : properties.rootCertBundle());
    return signer;
  }

  @Bean
  RegistryRobots registryRobots(JdbcClient jdbc) {
    return new RegistryRobots(jdbc);
  }
}
