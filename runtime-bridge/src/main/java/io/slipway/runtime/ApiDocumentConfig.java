package io.slipway.runtime;

import io.slipway.kit.openapi.ApiDocument;
import io.swagger.v3.oas.models.OpenAPI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The head of this service's OpenAPI document, served at {@code /v3/api-docs}. */
@Configuration(proxyBeanMethods = false)
class ApiDocumentConfig {

  @Bean
  OpenAPI apiDocument() {
    return ApiDocument.of(
        "Slipway runtime-bridge API",
        "Running apps: deployments and revisions, rollback, scaling, environment and secrets, custom domains, start, stop and restart, an app's events and its live log as Server-Sent Events, and the image admission policy of each tenant.");
  }
}
