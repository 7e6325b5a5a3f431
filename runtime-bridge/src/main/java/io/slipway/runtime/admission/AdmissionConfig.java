package io.slipway.runtime.admission;

import io.slipway.kit.client.BuildService;
import io.slipway.kit.client.ServiceClients;
import io.slipway.runtime.tenant.ServiceToken;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires admission: the governance facade (verify only) and the build-service client. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdmissionProperties.class)
class AdmissionConfig {

  @Bean
  GovernanceSource governanceSource(AdmissionProperties properties) {
    return new GovernanceSource(properties);
  }

  /** build-service's attestations, asked with runtime-bridge's own token. */
  @Bean
  BuildAttestations buildAttestations(AdmissionProperties admission, ServiceToken serviceToken) {
    return new BuildAttestations(
        ServiceClients.create(
            BuildService.class,
            admission.buildApiUrl(),
            serviceToken::get,
            Duration.ofSeconds(30)));
  }
}
