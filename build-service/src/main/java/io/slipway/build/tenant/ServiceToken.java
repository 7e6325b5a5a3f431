package io.slipway.build.tenant;

import io.slipway.build.BuildProperties;
import java.time.Clock;
import java.time.Instant;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.client.RestClient;

/**
 * This service's own access token, obtained from Keycloak by client credentials and reused until
 * shortly before it expires.
 */
@org.springframework.stereotype.Component
public final class ServiceToken {

  private record TokenResponse(String access_token, long expires_in) {}

  private final RestClient http;
  private final BuildProperties properties;
  private final Clock clock;
  private String token;
  private Instant renewAt = Instant.MIN;

  public ServiceToken(BuildProperties properties) {
    this.http = RestClient.create();
    this.properties = properties;
    this.clock = Clock.systemUTC();
  }

  public synchronized String get() {
    Instant now = clock.instant();
    if (token == null || now.isAfter(renewAt)) {
      var form = new LinkedMultiValueMap<String, String>();
      form.add("grant_type", "client_credentials");
      form.add("client_id", properties.clientId());
      form.add("client_secret", properties.clientSecret());
      TokenResponse response =
          http.post()
              .uri(properties.oidcIssuer() + "/protocol/openid-connect/token")
              .contentType(MediaType.APPLICATION_FORM_URLENCODED)
              .body(form)
              .retrieve()
              .body(TokenResponse.class);
      token = response.access_token();
      // Renew well before expiry so that a call never leaves with a token about to lapse.
      renewAt = now.plusSeconds(Math.max(0, response.expires_in() - 30));
    }
    return token;
  }
}
