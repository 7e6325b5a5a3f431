package io.slipway.build.governance;

import io.slipway.build.BuildProperties;
import io.slipway.governance.ImageGovernance;
import io.slipway.governance.advisory.AdvisoryDatabase;
import io.slipway.governance.image.ImageReader;
import io.slipway.governance.signing.Keyring;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The governance library wired for build-service: the keyring (its first key generated here, at the
 * first start: the install step), the advisory database re-imported from the kept OSV files, and
 * the facade that signs.
 */
@Configuration(proxyBeanMethods = false)
class GovernanceConfig {

  private static final Logger log = LoggerFactory.getLogger(GovernanceConfig.class);

  @Bean
  Keyring keyring(GovernanceProperties governance, BuildProperties build) throws IOException {
    Path dir = governance.keys(build.dataDir()).toAbsolutePath();
    Keyring keyring = Keyring.open(dir);
    log.info("Image signing key {} (keyring {})", keyring.activeKeyId(), dir);
    return keyring;
  }

  @Bean
  AdvisoryFiles advisoryFiles(GovernanceProperties governance, BuildProperties build)
      throws IOException {
    return new AdvisoryFiles(
        governance.advisories(build.dataDir()).toAbsolutePath(), new AdvisoryDatabase());
  }

  @Bean
  ImageGovernance imageGovernance(
      GovernanceProperties governance, AdvisoryFiles advisories, Keyring keyring) {
    return new ImageGovernance(
        new ImageReader(Path.of(System.getProperty("java.io.tmpdir")), governance.imageTimeout()),
        advisories.database(),
        keyring,
        Clock.systemUTC());
  }
}
