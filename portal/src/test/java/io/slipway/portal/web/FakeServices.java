package io.slipway.portal.web;

import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;

import io.slipway.kit.client.AppBuilds;
import io.slipway.kit.client.BuildService;
import io.slipway.kit.client.OpenApiDocuments;
import io.slipway.kit.client.RuntimeBridge;
import io.slipway.kit.client.RuntimePolicies;
import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantViews.TenantView;
import io.slipway.kit.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.mockito.invocation.InvocationOnMock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.service.annotation.GetExchange;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The three services replaced by Mockito stand-ins, for controller slice tests: each test says what
 * a service answers and checks what the portal asked of it.
 */
@TestConfiguration(proxyBeanMethods = false)
public class FakeServices {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The {@code Authorization} the signed-in user's calls carry. */
  public static final String BEARER = "Bearer the-signed-in-users-token";

  public final TenantService tenants = mock(TenantService.class, FakeServices::unknownTyped);
  public final BuildService builds = mock(BuildService.class, FakeServices::unknownTyped);
  public final AppBuilds appBuilds = mock(AppBuilds.class, FakeServices::unknownTyped);
  public final RuntimeBridge runtimes = mock(RuntimeBridge.class, FakeServices::unknownTyped);
  public final RuntimePolicies policies = mock(RuntimePolicies.class, FakeServices::unknownTyped);
  public final List<OpenApiDocuments> documents =
      List.of(
          mock(OpenApiDocuments.class, FakeServices::unknownTyped),
          mock(OpenApiDocuments.class, FakeServices::unknownTyped),
          mock(OpenApiDocuments.class, FakeServices::unknownTyped));

  @Bean
  ServiceApis serviceApis() {
    return new ServiceApis(tenants, builds, appBuilds, runtimes, policies, documents, () -> BEARER);
  }

  /** Forgets every stub and call: run before each test, the context being shared. */
  public void clear() {
    org.mockito.Mockito.reset(tenants, builds, appBuilds, runtimes, policies);
    documents.forEach(org.mockito.Mockito::reset);
  }

  /** The app page's app: {@code acme/web/api}, built from its hosted git repository. */
  public void hostedApp() {
    doReturn(answer("{'name':'api','source':'hosted-git'}", TenantService.App.class))
        .when(tenants)
        .app("acme", "web", "api", BEARER);
  }

  /** The app page's app {@code acme/web/api}, built from an external repository by webhook. */
  public void externalGitApp() {
    doReturn(
            answer(
                "{'name':'api','source':'external-git','sourceRef':'https://git.example/a.git'}",
                TenantService.App.class))
        .when(tenants)
        .app("acme", "web", "api", BEARER);
  }

  /** The signed-in user's {@code role} in tenant {@code acme}. */
  public void role(String role) {
    doReturn(answer("{'name':'acme','role':'" + role + "'}", TenantView.class))
        .when(tenants)
        .tenantView("acme", BEARER);
  }

  /**
   * What a service says of anything a test did not describe: a GET finds nothing (404, thrown as
   * the real client throws it), a change succeeds.
   */
  private static Object unknownTyped(InvocationOnMock call) {
    if (call.getMethod().isAnnotationPresent(GetExchange.class)) {
      throw notFound();
    }
    return null;
  }

  /** A 404 as the shared clients throw it, with the services' problem body. */
  public static RestClientResponseException notFound() {
    return refusal(404, "not-found", "nothing here");
  }

  /**
   * A refusal as the shared clients throw it: the status and an RFC 9457 problem of {@code type}
   * with {@code detail}.
   */
  public static RestClientResponseException refusal(int status, String type, String detail) {
    return refusal(status, type, detail, List.of());
  }

  /** As {@link #refusal(int, String, String)}, with the problem's {@code reasons}. */
  public static RestClientResponseException refusal(
      int status, String type, String detail, List<String> reasons) {
    String body =
        JSON.writeValueAsString(
            Map.of(
                "type",
                Problem.TYPE_ROOT + type,
                "status",
                status,
                "detail",
                detail,
                "reasons",
                reasons));
    HttpStatus code = HttpStatus.valueOf(status);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return code.is5xxServerError()
        ? HttpServerErrorException.create(
            code, code.getReasonPhrase(), HttpHeaders.EMPTY, bytes, StandardCharsets.UTF_8)
        : HttpClientErrorException.create(
            code, code.getReasonPhrase(), HttpHeaders.EMPTY, bytes, StandardCharsets.UTF_8);
  }

  /**
   * A service's answer, written as the JSON it sends (single quotes allowed), read into the shared
   * client's record: the test also checks that the record's names are the service's.
   */
  public static <T> T answer(String jsonText, Class<T> type) {
    return JSON.readValue(jsonText.replace('\'', '"'), type);
  }

  /** As {@link #answer(String, Class)}, for a generic record such as a page. */
  public static <T> T answer(String jsonText, TypeReference<T> type) {
    return JSON.readValue(jsonText.replace('\'', '"'), type);
  }

  /** JSON text (single quotes allowed for readability) as a node. */
  public static JsonNode json(String text) {
    return JSON.readTree(text.replace('\'', '"'));
  }
}
