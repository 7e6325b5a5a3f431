package io.slipway.build.tenant;

import io.slipway.build.BuildProperties;
import io.slipway.kit.audit.AuditOutboxConfiguration;
import io.slipway.kit.audit.AuditSink;
import io.slipway.kit.audit.TenantServiceAuditSink;
import io.slipway.kit.client.ServiceClients;
import io.slipway.kit.client.TenantService;
import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * build-service's client of tenant-service, and its audit outbox (table {@code audit_outbox},
 * migration V65), delivered to tenant-service with this service's token.
 */
@Configuration(proxyBeanMethods = false)
@Import(AuditOutboxConfiguration.class)
class TenantServiceConfig {

  @Bean
  TenantService tenantService(BuildProperties properties, ServiceToken serviceToken) {
    return ServiceClients.create(
        TenantService.class, URI.create(properties.tenantApiUrl()), serviceToken::get);
  }

  @Bean
  AuditSink auditSink(TenantService tenantService) {
    return new TenantServiceAuditSink(tenantService);
  }
}
