package io.slipway.portal.web;

import io.slipway.portal.PortalProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/** The services the portal calls on the user's behalf. */
@Component
public class ServiceApis {

  private final ServiceApi tenant;
  private final ServiceApi build;
  private final ServiceApi runtime;

  @Autowired
  ServiceApis(
      RestClient.Builder builder,
      PortalProperties properties,
      OAuth2AuthorizedClientManager clients,
      JsonMapper json) {
    tenant = new ServiceApi("tenant-service", properties.tenantApiUrl(), builder, clients, json);
    build = new ServiceApi("build-service", properties.buildApiUrl(), builder, clients, json);
    runtime = new ServiceApi("runtime-bridge", properties.runtimeApiUrl(), builder, clients, json);
  }

  /** The three services as given; for tests that replace them. */
  public ServiceApis(ServiceApi tenant, ServiceApi build, ServiceApi runtime) {
    this.tenant = tenant;
    this.build = build;
    this.runtime = runtime;
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
