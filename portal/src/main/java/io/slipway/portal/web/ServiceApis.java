package io.slipway.portal.web;

import io.slipway.kit.client.BuildService;
import io.slipway.kit.client.OpenApiDocuments;
import io.slipway.kit.client.RuntimeBridge;
import io.slipway.kit.client.RuntimePolicies;
import io.slipway.kit.client.ServiceClients;
import io.slipway.kit.client.TenantService;
import io.slipway.portal.PortalProperties;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The services the portal calls on the user's behalf, through the shared declarative clients of
 * {@code io.slipway.kit.client}. Every call names the user's token ({@link #bearer()}): the portal
 * has no token of its own to fall back on. A refusal reaches controllers as a {@link
 * ServiceProblem}.
 */
@Component
public class ServiceApis {

  /**
   * How long the portal waits for an answer: a page's reads are short, but a change may wait on
   * work the service does before it answers.
   */
  static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

  private final ServiceApi tenant;
  private final ServiceApi build;
  private final ServiceApi runtime;
  private final TenantService tenantService;
  private final BuildService buildService;
  private final RuntimeBridge runtimeBridge;
  private final RuntimePolicies runtimePolicies;
  private final Map<String, OpenApiDocuments> apiDocuments;
  private final Supplier<String> bearer;

  @Autowired
  ServiceApis(
      RestClient.Builder builder,
      PortalProperties properties,
      OAuth2AuthorizedClientManager clients,
      JsonMapper json) {
    tenant = new ServiceApi("tenant-service", properties.tenantApiUrl(), builder, clients, json);
    build = new ServiceApi("build-service", properties.buildApiUrl(), builder, clients, json);
    runtime = new ServiceApi("runtime-bridge", properties.runtimeApiUrl(), builder, clients, json);
    tenantService = client(TenantService.class, "tenant-service", properties.tenantApiUrl());
    buildService = client(BuildService.class, "build-service", properties.buildApiUrl());
    runtimeBridge = client(RuntimeBridge.class, "runtime-bridge", properties.runtimeApiUrl());
    runtimePolicies = client(RuntimePolicies.class, "runtime-bridge", properties.runtimeApiUrl());
    apiDocuments =
        documents(
            client(OpenApiDocuments.class, "tenant-service", properties.tenantApiUrl()),
            client(OpenApiDocuments.class, "build-service", properties.buildApiUrl()),
            client(OpenApiDocuments.class, "runtime-bridge", properties.runtimeApiUrl()));
    bearer = new UserToken(clients)::bearer;
  }

  /** The services as given (Mockito stand-ins, say), with the portal's handling of refusals. */
  public ServiceApis(
      ServiceApi tenant,
      ServiceApi build,
      ServiceApi runtime,
      TenantService tenantService,
      BuildService buildService,
      RuntimeBridge runtimeBridge,
      RuntimePolicies runtimePolicies,
      List<OpenApiDocuments> apiDocuments,
      Supplier<String> bearer) {
    this.tenant = tenant;
    this.build = build;
    this.runtime = runtime;
    this.tenantService = Refusals.translating(TenantService.class, tenantService, "tenant-service");
    this.buildService = Refusals.translating(BuildService.class, buildService, "build-service");
    this.runtimeBridge = Refusals.translating(RuntimeBridge.class, runtimeBridge, "runtime-bridge");
    this.runtimePolicies =
        Refusals.translating(RuntimePolicies.class, runtimePolicies, "runtime-bridge");
    this.apiDocuments =
        documents(
            Refusals.translating(OpenApiDocuments.class, apiDocuments.get(0), "tenant-service"),
            Refusals.translating(OpenApiDocuments.class, apiDocuments.get(1), "build-service"),
            Refusals.translating(OpenApiDocuments.class, apiDocuments.get(2), "runtime-bridge"));
    this.bearer = bearer;
  }

  private static Map<String, OpenApiDocuments> documents(
      OpenApiDocuments tenant, OpenApiDocuments build, OpenApiDocuments runtime) {
    Map<String, OpenApiDocuments> documents = new LinkedHashMap<>();
    documents.put("tenant-service", tenant);
    documents.put("build-service", build);
    documents.put("runtime-bridge", runtime);
    return Collections.unmodifiableMap(documents);
  }

  private static <T> T client(Class<T> api, String service, URI base) {
    T client =
        ServiceClients.create(
            api,
            base,
            ServiceApis::noTokenOfItsOwn,
            READ_TIMEOUT,
            List.of(BrowserAddress::forward));
    return Refusals.translating(api, client, service);
  }

  /**
   * The token a call that names none would carry: the portal acts only as its user, so such a call
   * is a mistake and fails before it leaves.
   */
  private static String noTokenOfItsOwn() {
    throw new IllegalStateException(
        "the portal calls services only as the signed-in user: pass ServiceApis.bearer()");
  }

  /** The {@code Authorization} value of the signed-in user, for every call. */
  public String bearer() {
    return bearer.get();
  }

  public TenantService tenantService() {
    return tenantService;
  }

  public BuildService buildService() {
    return buildService;
  }

  public RuntimeBridge runtimeBridge() {
    return runtimeBridge;
  }

  /** runtime-bridge's image policies: the platform's floor and each tenant's own. */
  public RuntimePolicies runtimePolicies() {
    return runtimePolicies;
  }

  /**
   * Each service's OpenAPI document, by service name (tenant-service, build-service,
   * runtime-bridge).
   */
  public Map<String, OpenApiDocuments> apiDocuments() {
    return apiDocuments;
  }

  public ServiceApi tenant() {
    return tenant;
  }

  public ServiceApi build() {
    return build;
  }

  public ServiceApi runtime() {
    return runtime;
  }
}
