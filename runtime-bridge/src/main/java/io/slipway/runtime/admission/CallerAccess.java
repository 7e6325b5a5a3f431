package io.slipway.runtime.admission;

import io.slipway.kit.problem.Problem;
import io.slipway.kit.security.RealmRoles;
import io.slipway.runtime.RuntimeProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/** Who may read and write image policies: platform admins, and a tenant's members by role. */
@Component
class CallerAccess {

  private static final Logger log = LoggerFactory.getLogger(CallerAccess.class);

  static final String PLATFORM_ADMIN = RealmRoles.PLATFORM_ADMIN;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final URI tenantApi;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  CallerAccess(RuntimeProperties properties) {
    this.tenantApi = properties.tenantApiUrl();
  }

  static boolean isPlatformAdmin(Jwt caller) {
    return RealmRoles.platformAdmin(caller.getClaims());
  }

  static void requirePlatformAdmin(Jwt caller) {
    if (!isPlatformAdmin(caller)) {
      throw Problem.forbidden("The platform's image policy floor needs the platform-admin role");
    }
  }

  /**
   * The caller's role in the tenant, asked of tenant-service with the caller's own token: 404 when
   * they may not see it; empty for a platform admin who is not a member.
   */
  String roleIn(String tenant, Jwt caller) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      tenantApi.resolve(
                          UriComponentsBuilder.fromPath("/api/v1/tenants/{t}")
                              .encode()
                              .buildAndExpand(tenant)
                              .toUriString()))
                  .header("Authorization", "Bearer " + caller.getTokenValue())
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 404 || response.statusCode() == 403) {
        throw Problem.notFound("Tenant", tenant);
      }
      if (response.statusCode() != 200) {
        throw Problem.unavailable(
            "tenant-service answered " + response.statusCode() + " reading tenant " + tenant);
      }
      return JSON.readTree(response.body()).path("role").asString("");
    } catch (IOException e) {
      log.warn("tenant-service could not be reached reading {}: {}", tenant, e.toString());
      throw Problem.unavailable("tenant-service could not be reached; retry shortly");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Problem.unavailable("interrupted");
    }
  }
}
