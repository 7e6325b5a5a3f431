package io.slipway.portal.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.security.oauth2.client.ClientAuthorizationException;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.core.JacksonException;
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
  private final JsonMapper json;

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
    this.json = json;
    this.client =
        builder
            .clone()
            .baseUrl(baseUrl.toString())
            .requestInterceptor(bearer)
            .requestInterceptor(ServiceApi::forwardBrowserAddress)
            .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> refuse(response))
            .build();
  }

  /**
   * Tells the service the browser's address for its audit trail: the portal is the services' peer,
   * so without it every change made in the portal would be recorded with the portal's address. Set,
   * never appended: an {@code X-Forwarded-For} the browser sent is not passed on. The services
   * believe it only from the portal (see {@code io.slipway.kit.audit.ClientAddress}).
   */
  static ClientHttpResponse forwardBrowserAddress(
      HttpRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes browser) {
      request.getHeaders().set(FORWARDED_FOR, browser.getRequest().getRemoteAddr());
    } else {
      request.getHeaders().remove(FORWARDED_FOR);
    }
    return execution.execute(request, body);
  }

  /** The header the services read the browser's address from. */
  static final String FORWARDED_FOR = "X-Forwarded-For";

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
      throw new ServiceProblem(503, service + " cannot be reached right now; try again shortly");
    } catch (ClientAuthorizationException e) {
      throw new ServiceProblem(
          401, "unauthorized", "Your sign-in has expired. Sign in again to continue.");
    }
  }

  private void refuse(ClientHttpResponse response) throws IOException {
    String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
    int status = response.getStatusCode().value();
    String detail = service + " answered " + status;
    String type = "";
    List<String> reasons = List.of();
    if (body.strip().startsWith("{")) {
      try {
        JsonNode problem = json.readTree(body);
        detail = problem.path("detail").asString(detail);
        type = problem.path("type").asString("").replaceAll(".*/", "");
        reasons =
            problem
                .path("reasons")
                .valueStream()
                .map(r -> r.asString(""))
                .filter(r -> !r.isBlank())
                .toList();
      } catch (JacksonException unreadable) {
        // not a problem document after all: the status says enough
      }
    }
    throw new ServiceProblem(status, type, detail, reasons);
  }
}
