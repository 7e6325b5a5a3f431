package io.slipway.portal.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.security.oauth2.client.ClientAuthorizationException;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Slipway service, called with the signed-in user's access token (the portal is a backend for the
 * frontend: the browser never holds a token). Every refusal becomes a {@link ServiceProblem}
 * carrying the service's own explanation.
 */
public class ServiceApi {

  private final String service;
  private final RestClient client;

  ServiceApi(
      String service,
      java.net.URI baseUrl,
      RestClient.Builder builder,
      OAuth2AuthorizedClientManager authorizedClients,
      JsonMapper json) {
    OAuth2ClientHttpRequestInterceptor bearer =
        new OAuth2ClientHttpRequestInterceptor(authorizedClients);
    bearer.setClientRegistrationIdResolver(request -> "keycloak");
    this.service = service;
    this.client =
        builder
            .clone()
            .baseUrl(baseUrl.toString())
            .requestInterceptor(bearer)
            .requestInterceptor(BrowserAddress::forward)
            .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> refuse(response))
            .build();
  }

  /**
   * GET a URI template, e.g. {@code ("/api/v1/tenants/{t}", name)}: variables are encoded, so a
   * name can never change the path.
   */
  public JsonNode get(String template, Object... variables) {
    return call(() -> client.get().uri(template, variables).retrieve().body(JsonNode.class));
  }

  public JsonNode post(Map<String, ?> body, String template, Object... variables) {
    return call(
        () -> client.post().uri(template, variables).body(body).retrieve().body(JsonNode.class));
  }

  public JsonNode put(Map<String, ?> body, String template, Object... variables) {
    return call(
        () -> client.put().uri(template, variables).body(body).retrieve().body(JsonNode.class));
  }

  /** POSTs raw bytes (an uploaded file) as {@code application/octet-stream}. */
  public JsonNode upload(byte[] body, String template, Object... variables) {
    return call(
        () ->
            client
                .post()
                .uri(template, variables)
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(body)
                .retrieve()
                .body(JsonNode.class));
  }

  /** GETs a document as the service sends it (an SBOM, say), to be handed on as a download. */
  public byte[] bytes(String template, Object... variables) {
    return call(() -> client.get().uri(template, variables).retrieve().body(byte[].class));
  }

  public void delete(String template, Object... variables) {
    call(() -> client.delete().uri(template, variables).retrieve().toBodilessEntity());
  }

  /**
   * Opens a {@code text/event-stream} of the service. The caller reads it and must close it; the
   * user's token is attached here, on the caller's thread, where the session is at hand.
   */
  public InputStream stream(String template, Object... variables) {
    return call(
        () ->
            client
                .get()
                .uri(template, variables)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange(
                    (request, response) -> {
                      if (response.getStatusCode().isError()) {
                        try (response) {
                          refuse(response);
                        }
                      }
                      return response.getBody();
                    },
                    false));
  }

  /** The {@code items} of a page the service returned. */
  public static List<JsonNode> items(JsonNode page) {
    return page.path("items").valueStream().toList();
  }

  private <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (ResourceAccessException e) {
      throw Refusals.unreachable(service);
    } catch (ClientAuthorizationException e) {
      throw new ServiceProblem(
          401, "unauthorized", "Your sign-in has expired. Sign in again to continue.");
    }
  }

  private void refuse(ClientHttpResponse response) throws IOException {
    throw Refusals.problem(
        service,
        response.getStatusCode().value(),
        new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8));
  }
}
