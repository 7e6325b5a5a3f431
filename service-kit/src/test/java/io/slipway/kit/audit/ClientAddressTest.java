package io.slipway.kit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.jwt.Jwt;

/** Whose X-Forwarded-For a service believes: the portal's only. */
class ClientAddressTest {

  private static final String PORTAL_HOST = "10.0.0.5";
  private final ClientAddress addresses =
      new ClientAddress(
          new AuditSettings(
              List.of(PORTAL_HOST, "::1"), "portal", Duration.ofSeconds(5), Duration.ofMinutes(5)));

  private final Jwt portalUser =
      AuditActorTest.jwt("alice-sub", Map.of("preferred_username", "alice", "azp", "portal"));
  private final Jwt cliUser =
      AuditActorTest.jwt("alice-sub", Map.of("preferred_username", "alice", "azp", "slipway-cli"));
  private final Jwt personalAccessToken =
      AuditActorTest.jwt(
          "alice",
          Map.of(
              "preferred_username",
              "alice",
              "azp",
              "portal",
              AuditActor.TOKEN_KIND_CLAIM,
              AuditActor.PERSONAL_ACCESS_TOKEN));
  private final Jwt service =
      AuditActorTest.jwt(
          "svc",
          Map.of(
              "azp", "build-service", "realm_access", Map.of("roles", List.of("slipway-service"))));

  @Test
  void thePortalCallingForABrowserIsRecordedWithTheBrowsersAddress() {
    assertThat(addresses.of(request(PORTAL_HOST, "198.51.100.23"), portalUser))
        .isEqualTo("198.51.100.23");
    // the portal's own peer in IPv6 long form is the same trusted address
    assertThat(addresses.of(request("0:0:0:0:0:0:0:1", "2001:db8::7"), portalUser))
        .isEqualTo("2001:db8::7");
    // hops before the portal's are the browser's to say, not the portal's: the last one counts
    assertThat(addresses.of(request(PORTAL_HOST, "203.0.113.9, 198.51.100.23"), portalUser))
        .isEqualTo("198.51.100.23");
  }

  @Test
  void aForgedHeaderFromAnyoneButThePortalIsIgnored() {
    String forged = "203.0.113.66";
    // a tenant on the portal's host with its own CLI token, a personal access token, a service
    assertThat(addresses.of(request(PORTAL_HOST, forged), cliUser)).isEqualTo(PORTAL_HOST);
    assertThat(addresses.of(request(PORTAL_HOST, forged), personalAccessToken))
        .isEqualTo(PORTAL_HOST);
    assertThat(addresses.of(request(PORTAL_HOST, forged), service)).isEqualTo(PORTAL_HOST);
    assertThat(addresses.of(request(PORTAL_HOST, forged), null)).isEqualTo(PORTAL_HOST);
    // a portal token replayed from elsewhere (say it leaked from a log): the peer is not the portal
    assertThat(addresses.of(request("192.0.2.44", forged), portalUser)).isEqualTo("192.0.2.44");
  }

  @Test
  void aForwardedValueThatIsNoAddressIsIgnored() {
    for (String junk : List.of("evil.example", "abc", "1.2.3.4\nx", "", "unknown", "::1'; drop")) {
      assertThat(addresses.of(request(PORTAL_HOST, junk), portalUser))
          .as(junk)
          .isEqualTo(PORTAL_HOST);
    }
    assertThat(addresses.of(request(PORTAL_HOST, null), portalUser)).isEqualTo(PORTAL_HOST);
  }

  @Test
  void aNetworkOfTrustedProxiesTrustsItsAddressesOnly() {
    ClientAddress pods =
        new ClientAddress(
            new AuditSettings(
                List.of("10.42.0.0/16", "fd00::/8"),
                "portal",
                Duration.ofSeconds(5),
                Duration.ofMinutes(5)));
    assertThat(pods.of(request("10.42.7.9", "198.51.100.23"), portalUser))
        .isEqualTo("198.51.100.23");
    assertThat(pods.of(request("fd12::5", "198.51.100.23"), portalUser)).isEqualTo("198.51.100.23");
    assertThat(pods.of(request("10.43.0.1", "198.51.100.23"), portalUser)).isEqualTo("10.43.0.1");
    assertThat(pods.of(request("127.0.0.1", "198.51.100.23"), portalUser)).isEqualTo("127.0.0.1");
  }

  @Test
  void trustedProxiesMustBeAddresses() {
    for (String bad : List.of("10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "portal/8")) {
      assertThatThrownBy(
              () ->
                  new AuditSettings(
                      List.of(bad), "portal", Duration.ofSeconds(5), Duration.ofMinutes(5)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(
            () ->
                new AuditSettings(
                    List.of("portal.internal"),
                    "portal",
                    Duration.ofSeconds(5),
                    Duration.ofMinutes(5)))
        .hasMessageContaining("slipway.audit.trusted-proxies must list IP addresses");
  }

  private static MockHttpServletRequest request(String peer, String forwardedFor) {
    MockHttpServletRequest request = new MockHttpServletRequest("PUT", "/api/v1/x");
    request.setRemoteAddr(peer);
    if (forwardedFor != null) {
      request.addHeader(ClientAddress.FORWARDED_FOR, forwardedFor);
    }
    return request;
  }
}
