package io.slipway.tenant.audit;

import io.slipway.kit.audit.AuditSettings;
import io.slipway.kit.audit.ClientAddress;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Whose {@code X-Forwarded-For} tenant-service believes for its own audit events. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditSettings.class)
class AuditConfig {

  @Bean
  ClientAddress clientAddress(AuditSettings settings) {
    return new ClientAddress(settings);
  }
}
