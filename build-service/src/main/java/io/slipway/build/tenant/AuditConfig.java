package io.slipway.build.tenant;

import io.slipway.build.BuildProperties;
import io.slipway.kit.audit.AuditOutboxConfiguration;
import io.slipway.kit.audit.AuditSink;
import io.slipway.kit.audit.TenantServiceAuditSink;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * build-service's audit outbox (table {@code audit_outbox}, migration V65), delivered to
 * tenant-service with this service's token.
 */
@Configuration(proxyBeanMethods = false)
@Import(AuditOutboxConfiguration.class)
class AuditConfig {

  @Bean
  AuditSink auditSink(BuildProperties properties, ServiceToken serviceToken) {
    return new TenantServiceAuditSink(
        URI.create(properties.tenantApiUrl()),
        serviceToken::get,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
  }
}
