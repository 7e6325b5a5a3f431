package io.slipway.kit.client;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document every Slipway service serves at {@code /v3/api-docs} (made by {@link
 * ServiceClients#create} for each service's base URL). The document is read as a tree: its shape is
 * OpenAPI's, not one of Slipway's.
 */
@HttpExchange(accept = "application/json")
public interface OpenApiDocuments {

  @GetExchange("/v3/api-docs")
  JsonNode document(@RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);
}
