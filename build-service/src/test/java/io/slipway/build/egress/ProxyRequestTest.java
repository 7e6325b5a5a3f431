package io.slipway.build.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProxyRequestTest {

  @Test
  void connectAsksForATunnelToAHostAndPort() throws Exception {
    ProxyRequest request = parse("CONNECT registry.npmjs.org:443 HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(request.tunnel()).isTrue();
    assertThat(request.host()).isEqualTo("registry.npmjs.org");
    assertThat(request.port()).isEqualTo(443);
    assertThat(request.upstreamHead()).isEmpty();

    ProxyRequest v6 = parse("CONNECT [2001:db8::1]:443 HTTP/1.1\r\n\r\n");
    assertThat(v6.host()).isEqualTo("2001:db8::1");
    assertThat(v6.target()).isEqualTo("[2001:db8::1]:443");
  }

  @Test
  void anAbsoluteFormRequestGoesUpstreamInOriginFormWithoutProxyHeaders() throws Exception {
    ProxyRequest request =
        parse(
            "GET http://deb.debian.org/debian/dists/trixie/Release?x=1 HTTP/1.1\r\n"
                + "Host: deb.debian.org\r\nProxy-Connection: keep-alive\r\n"
                + "Proxy-Authorization: Basic eDp5\r\nConnection: keep-alive\r\n"
                + "User-Agent: apt\r\n\r\n");
    assertThat(request.tunnel()).isFalse();
    assertThat(request.host()).isEqualTo("deb.debian.org");
    assertThat(request.port()).isEqualTo(80);
    assertThat(new String(request.upstreamHead(), StandardCharsets.ISO_8859_1))
        .isEqualTo(
            "GET /debian/dists/trixie/Release?x=1 HTTP/1.1\r\nHost: deb.debian.org\r\n"
                + "User-Agent: apt\r\nConnection: close\r\n\r\n");

    ProxyRequest bare = parse("HEAD HTTP://10.0.0.1:8080 HTTP/1.0\n\n");
    assertThat(bare.port()).isEqualTo(8080);
    assertThat(new String(bare.upstreamHead(), StandardCharsets.ISO_8859_1))
        .startsWith("HEAD / HTTP/1.1\r\n");
  }

  @Test
  void whatIsNotAProxyRequestIsRefusedWithA4xxAndAReason() {
    assertRefused("GET /config/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "not for a URL");
    assertRefused("GET https://example.org/ HTTP/1.1\r\n\r\n", "HTTPS uses CONNECT");
    assertRefused("CONNECT example.org HTTP/1.1\r\n\r\n", "needs a host and a port");
    assertRefused("CONNECT example.org:0 HTTP/1.1\r\n\r\n", "is not a port");
    assertRefused("CONNECT example.org:99999 HTTP/1.1\r\n\r\n", "is not a port");
    assertRefused("GET http://user:pw@example.org/ HTTP/1.1\r\n\r\n", "not a name or an address");
    assertRefused("GET http://exa mple.org/ HTTP/1.1\r\n\r\n", "not an HTTP proxy request");
    assertRefused("\u0016\u0003\u0001\u0002\u0000\u0001\r\n\r\n", "not an HTTP proxy request");
    assertRefused("GET http://example.org/ HTTP/1.1\r\nno colon\r\n\r\n", "malformed header");
  }

  @Test
  void theHeadEndsAtTheFirstEmptyLine() {
    byte[] bytes =
        "GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII);
    assertThat(ProxyRequest.headEnd(bytes, bytes.length)).isEqualTo(bytes.length - 4);
    assertThat(ProxyRequest.headEnd(bytes, 20)).isEqualTo(-1);
  }

  private static void assertRefused(String head, String reason) {
    assertThatThrownBy(() -> parse(head))
        .as(head)
        .isInstanceOfSatisfying(
            ProxyRequest.Refused.class, refused -> assertThat(refused.status()).isBetween(400, 499))
        .hasMessageContaining(reason);
  }

  private static ProxyRequest parse(String head) throws ProxyRequest.Refused {
    return ProxyRequest.parse(head.getBytes(StandardCharsets.ISO_8859_1));
  }
}
