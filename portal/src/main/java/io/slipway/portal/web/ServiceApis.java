package io.slipway.portal.web;

import io.slipway.kit.client.AppBuilds;
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

  /** Live logs stay open as long as what they follow runs: no read timeout cuts them off. */
  private static final Duration NO_READ_TIMEOUT = null;

  private final TenantService tenantService;
  private final BuildService buildService;
  private final RuntimeBridge runtimeBridge;
  private final RuntimePolicies runtimePolicies;
  private final AppBuilds appBuilds;
  private final AppBuilds buildStreams;
  private final RuntimeBridge runtimeStreams;
  private final Map<String, OpenApiDocuments> apiDocuments;
  private final Supplier<String> bearer;

  @Autowired
  ServiceApis(PortalProperties properties, OAuth2AuthorizedClientManager clients) {
    tenantService = client(TenantService.class, "tenant-service", properties.tenantApiUrl());
    buildService = client(BuildService.class, "build-service", properties.buildApiUrl());
    runtimeBridge = client(RuntimeBridge.class, "runtime-bridge", properties.runtimeApiUrl());
    runtimePolicies = client(RuntimePolicies.class, "runtime-bridge", properties.runtimeApiUrl());
    appBuilds = client(AppBuilds.class, "build-service", properties.buildApiUrl());
    buildStreams =
        client(AppBuilds.class, "build-service", properties.buildApiUrl(), NO_READ_TIMEOUT);
    runtimeStreams =
        client(RuntimeBridge.class, "runtime-bridge", properties.runtimeApiUrl(), NO_READ_TIMEOUT);
    apiDocuments =
        documents(
            client(OpenApiDocuments.class, "tenant-service", properties.tenantApiUrl()),
            client(OpenApiDocuments.class, "build-service", properties.buildApiUrl()),
            client(OpenApiDocuments.class, "runtime-bridge", properties.runtimeApiUrl()));
    bearer = new UserToken(clients)::bearer;
  }

  /** The services as given (Mockito stand-ins, say), with the portal's handling of refusals. */
  public ServiceApis(
      TenantService tenantService,
      BuildService buildService,
      AppBuilds appBuilds,
      RuntimeBridge runtimeBridge,
      RuntimePolicies runtimePolicies,
      List<OpenApiDocuments> apiDocuments,
      Supplier<String> bearer) {
    this.tenantService = Refusals.translating(TenantService.class, tenantService, "tenant-service");
    this.buildService = Refusals.translating(BuildService.class, buildService, "build-service");
    this.runtimeBridge = Refusals.translating(RuntimeBridge.class, runtimeBridge, "runtime-bridge");
    this.runtimePolicies =
        Refusals.translating(RuntimePolicies.class, runtimePolicies, "runtime-bridge");
    this.appBuilds = Refusals.translating(AppBuilds.class, appBuilds, "build-service");
    this.buildStreams = this.appBuilds;
    this.runtimeStreams = this.runtimeBridge;
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
    return client(api, service, base, READ_TIMEOUT);
  }

  private static <T> T client(Class<T> api, String service, URI base, Duration readTimeout) {
    T client =
        ServiceClients.create(
            api, base, ServiceApis::noTokenOfItsOwn, readTimeout, List.of(BrowserAddress::forward));
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

  /** build-service's builds of an app: list, build, cancel, scan, SBOM, webhook. */
  public AppBuilds appBuilds() {
    return appBuilds;
  }

  public RuntimeBridge runtimeBridge() {
    return runtimeBridge;
  }

  /**
   * build-service for its live streams (a build's log): the same client with no read timeout. Use
   * it for nothing else.
   */
  public AppBuilds buildStreams() {
    return buildStreams;
  }

  /** runtime-bridge for its live streams (an app's log), with no read timeout. */
  public RuntimeBridge runtimeStreams() {
    return runtimeStreams;
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
}
