package io.slipway.runtime.admission;

import io.slipway.governance.image.ImageReader;
import io.slipway.kit.client.BuildService;
import io.slipway.kit.client.ServiceClients;
import io.slipway.runtime.tenant.ServiceToken;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires admission: the build-service client, asked with runtime-bridge's own token for images'
 * attestations and for the keys and advisories of the governance facade (verify only).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdmissionProperties.class)
class AdmissionConfig {

  /** build-service's API, as runtime-bridge asks it. */
  @Bean
  BuildService buildService(AdmissionProperties admission, ServiceToken serviceToken) {
    return ServiceClients.create(
        BuildService.class, admission.buildApiUrl(), serviceToken::get, Duration.ofSeconds(30));
  }

  @Bean
  GovernanceSource governanceSource(AdmissionProperties properties, BuildService buildService) {
    return new GovernanceSource(
        buildService,
        properties.governanceRefresh(),
        new ImageReader(Path.of(System.getProperty("java.io.tmpdir")), properties.imageTimeout()),
        Clock.systemUTC());
  }

  @Bean
  BuildAttestations buildAttestations(BuildService buildService) {
    return new BuildAttestations(buildService);
  }
}
