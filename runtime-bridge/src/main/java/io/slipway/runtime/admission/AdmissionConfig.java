package io.slipway.runtime.admission;

import io.slipway.runtime.RuntimeProperties;
import io.slipway.runtime.tenant.ServiceToken;
import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
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

  @Bean
  BuildAttestations buildAttestations(
      AdmissionProperties admission,
      RuntimeProperties properties,
      @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri:}") String issuer) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return new BuildAttestations(
        admission.buildApiUrl(),
        new ServiceToken(issuer, properties.clientId(), properties.clientSecret(), http),
        http);
  }
}
