package io.slipway.portal;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code slipway.portal.*}: where the portal finds Keycloak and the services. Checked at start-up.
 *
 * @param oidcIssuer the Keycloak realm URL ({@code .../realms/slipway}); endpoints are derived from
 *     it, so the portal starts even while Keycloak is still starting
 * @param clientId the portal's OIDC client
 * @param clientSecret the portal's client secret (confidential client; PKCE is used as well)
 * @param tenantApiUrl tenant-service's base URL
 * @param gitUrl the base of hosted git repositories as users reach them (build-service's {@code
 *     /git}), for the {@code git remote add} command the app page shows
 */
@Validated
@ConfigurationProperties("slipway.portal")
public record PortalProperties(
    @NotNull @DefaultValue("http://127.0.0.1:18080/realms/slipway") URI oidcIssuer,
    @NotBlank @DefaultValue("portal") String clientId,
    @NotBlank String clientSecret,
    @NotNull @DefaultValue("http://127.0.0.1:8081") URI tenantApiUrl,
    @NotNull @DefaultValue("http://127.0.0.1:8082/git") URI gitUrl,
    @NotNull @DefaultValue("http://127.0.0.1:8082") URI buildApiUrl,
    @NotNull @DefaultValue("http://127.0.0.1:8083") URI runtimeApiUrl,
    @DefaultValue("") String appsDomain) {

  /** An endpoint of the realm's OpenID Connect protocol, e.g. {@code token}. */
  public String oidcEndpoint(String name) {
    return oidcIssuer.toString().replaceAll("/+$", "") + "/protocol/openid-connect/" + name;
  }
}
