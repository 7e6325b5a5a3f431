package io.slipway.build;

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
        "Slipway build-service API",
        "Builds of each app: the build history, a build's status and its log as Server-Sent Events, cancelling a build, the secret of an app's git webhook, and each built image's SBOM and vulnerability scan. Apps are pushed with git over HTTP at /git/{tenant}/{project}/{app}.git (a personal access token with the scope git as the password); this document covers the REST API.");
  }
}
