package io.slipway.kit.audit;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The audit outbox of a service that changes things for callers (runtime-bridge, build-service):
 * imported by the service, which supplies its {@link AuditSink} (tenant-service with its own
 * service token) and creates the {@code audit_outbox} table by its own migration.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditSettings.class)
public class AuditOutboxConfiguration {

  @Bean
  AuditOutbox auditOutbox(JdbcClient jdbc) {
    return new AuditOutbox(jdbc);
  }

  @Bean
  AuditRelay auditRelay(AuditOutbox outbox, AuditSink sink, AuditSettings settings) {
    return new AuditRelay(outbox, sink, settings);
  }

  @Bean
  ClientAddress clientAddress(AuditSettings settings) {
    return new ClientAddress(settings);
  }

  @Bean
  AuditRecorder auditRecorder(AuditOutbox outbox, AuditRelay relay, ClientAddress addresses) {
    return new AuditRecorder(outbox, relay, addresses, Clock.systemUTC());
  }
}
