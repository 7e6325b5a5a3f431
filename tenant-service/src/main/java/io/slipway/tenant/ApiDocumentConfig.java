package io.slipway.tenant;

import io.slipway.kit.openapi.ApiDocument;
import io.slipway.tenant.access.Actor;
import io.swagger.v3.oas.models.OpenAPI;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The head of this service's OpenAPI document, served at {@code /v3/api-docs}. */
@Configuration(proxyBeanMethods = false)
class ApiDocumentConfig {

  static {
    // The caller, resolved from the request's token (ActorArgumentResolver): not a parameter of
    // the API, which springdoc would else document as a query parameter "actor" of every operation.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(Actor.class);
  }

  @Bean
  OpenAPI apiDocument() {
    return ApiDocument.of(
        "Slipway tenant-service API",
        "Tenants, projects and apps, members and their roles, quotas and usage, the audit log, and personal access tokens. Every other service asks this one who may do what.");
  }
}
