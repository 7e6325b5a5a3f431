package io.slipway.runtime.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP proof against a real HTTP server on loopback (allowed as "the router's address" here),
 * with the name resolved by the test: what it accepts, and each way it refuses, in words that never
 * name an address.
 */
class HttpDomainProofTest {

  private static final String DOMAIN = "shop.example.com";
  private static final String TOKEN = Challenge.newToken();
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private HttpServer server;
  private final AtomicReference<String> answer = new AtomicReference<>(TOKEN);
  private final AtomicReference<Integer> status = new AtomicReference<>(200);
  private final List<String> hostsAsked = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    server.createContext(
        "/.well-known/slipway-domain/",
        exchange -> {
          synchronized (hostsAsked) {
            hostsAsked.add(
                exchange.getRequestHeaders().getFirst("Host") + exchange.getRequestURI());
          }
          byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
          if (status.get() / 100 == 3) {
            exchange.getResponseHeaders().add("Location", "http://" + DOMAIN + "/elsewhere");
          }
          exchange.sendResponseHeaders(status.get(), body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private HttpDomainProof proof(NameResolver names, int port) {
    return new HttpDomainProof(names, Set.of(LOOPBACK), port, Duration.ofSeconds(2));
  }

  private HttpDomainProof toServer() {
    return proof(host -> List.of(LOOPBACK), server.getAddress().getPort());
  }

  @Test
  void theTokenAtTheWellKnownPathProvesTheDomain() {
    assertThat(toServer().check(DOMAIN, TOKEN).proven()).isTrue();
    assertThat(hostsAsked).containsExactly(DOMAIN + "/.well-known/slipway-domain/" + TOKEN);
  }

  @Test
  void anotherAnswerIsRefused() {
    answer.set(Challenge.newToken());
    DomainProof.Result result = toServer().check(DOMAIN, TOKEN);
    assertThat(result.proven()).isFalse();
    assertThat(result.reason())
        .isEqualTo(
            "HTTP: http://"
                + DOMAIN
                + "/.well-known/slipway-domain/"
                + TOKEN
                + " did not answer this domain's token");
  }

  @Test
  void aRedirectIsNotFollowed() {
    status.set(302);
    DomainProof.Result result = toServer().check(DOMAIN, TOKEN);
    assertThat(result.proven()).isFalse();
    assertThat(result.reason()).contains("redirect, which the check does not follow");
    assertThat(hostsAsked).hasSize(1);
  }

  @Test
  void anErrorStatusIsRefusedEvenWithTheToken() {
    status.set(404);
    assertThat(toServer().check(DOMAIN, TOKEN).reason()).contains("answered 404");
  }

  @Test
  void anAnswerLargerThanTheCapIsNotReadToTheEnd() {
    answer.set(TOKEN + "x".repeat(HttpDomainProof.MAX_ANSWER));
    DomainProof.Result result = toServer().check(DOMAIN, TOKEN);
    assertThat(result.proven()).isFalse();
    assertThat(result.reason()).contains("larger than a token");
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 1, LOOPBACK)) {
      Thread.ofVirtual()
          .start(
              () -> {
                try (Socket ignored = silent.accept()) {
                  Thread.sleep(5_000);
                } catch (IOException | InterruptedException e) {
                  // the test is over
                }
              });
      HttpDomainProof proof =
          new HttpDomainProof(
              host -> List.of(LOOPBACK),
              Set.of(LOOPBACK),
              silent.getLocalPort(),
              Duration.ofMillis(300));
      long start = System.nanoTime();
      DomainProof.Result result = proof.check(DOMAIN, TOKEN);
      assertThat(result.reason()).endsWith(" timed out");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void nothingListeningSaysSo() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      closed = s.getLocalPort();
    }
    assertThat(proof(host -> List.of(LOOPBACK), closed).check(DOMAIN, TOKEN).reason())
        .startsWith("HTTP: nothing answered at http://" + DOMAIN + "/");
  }

  @Test
  void aDomainWithoutAddressSaysItHasNoDnsRecord() {
    DomainProof.Result result =
        proof(
                host -> {
                  throw new UnknownHostException(host);
                },
                server.getAddress().getPort())
            .check(DOMAIN, TOKEN);
    assertThat(result.reason())
        .isEqualTo("HTTP: " + DOMAIN + " has no DNS record (A or AAAA); point it at the platform");
  }

  @Test
  void internalAndLinkLocalAddressesAreNeverAskedNorNamed() throws Exception {
    for (String internal :
        List.of(
            "169.254.169.254",
            "10.1.2.3",
            "192.168.1.1",
            "172.16.0.9",
            "100.64.0.1",
            "::ffff:169.254.169.254",
            "fd00::1",
            "fe80::1",
            "0.0.0.0")) {
      InetAddress address = InetAddress.getByName(internal);
      // the link-local one is refused even when listed as the router's
      HttpDomainProof proof =
          new HttpDomainProof(
              host -> List.of(address),
              internal.contains("169.254") ? Set.of(LOOPBACK, address) : Set.of(LOOPBACK),
              server.getAddress().getPort(),
              Duration.ofSeconds(1));
      DomainProof.Result result = proof.check(DOMAIN, TOKEN);
      assertThat(result.proven()).as(internal).isFalse();
      assertThat(result.reason())
          .as(internal)
          .contains("private, loopback or link-local address")
          .doesNotContain(internal)
          .doesNotContain(address.getHostAddress());
    }
    assertThat(hostsAsked).isEmpty();
  }

  @Test
  void loopbackIsRefusedUnlessItIsTheRoutersAddress() {
    HttpDomainProof notRouter =
        new HttpDomainProof(
            host -> List.of(LOOPBACK),
            Set.of(),
            server.getAddress().getPort(),
            Duration.ofSeconds(1));
    assertThat(notRouter.check(DOMAIN, TOKEN).proven()).isFalse();
    assertThat(hostsAsked).isEmpty();
  }

  @Test
  void oneInternalAddressAmongPublicOnesRefusesTheWholeName() throws Exception {
    InetAddress metadata = InetAddress.getByName("169.254.169.254");
    assertThat(
            proof(host -> List.of(LOOPBACK, metadata), server.getAddress().getPort())
                .check(DOMAIN, TOKEN)
                .proven())
        .isFalse();
    assertThat(hostsAsked).isEmpty();
  }

  @Test
  void anAnswerWithItsWholeBodyIsTakenWithoutWaitingForTheConnectionToClose() throws Exception {
    try (ServerSocket lingering = new ServerSocket(0, 1, LOOPBACK)) {
      Thread.ofVirtual()
          .start(
              () -> {
                try (Socket client = lingering.accept()) {
                  client
                      .getOutputStream()
                      .write(
                          ("HTTP/1.1 200 OK\r\nContent-Length: "
                                  + TOKEN.length()
                                  + "\r\n\r\n"
                                  + TOKEN)
                              .getBytes(StandardCharsets.US_ASCII));
                  client.getOutputStream().flush();
                  Thread.sleep(5_000);
                } catch (IOException | InterruptedException e) {
                  // the test is over
                }
              });
      HttpDomainProof proof =
          new HttpDomainProof(
              host -> List.of(LOOPBACK),
              Set.of(LOOPBACK),
              lingering.getLocalPort(),
              Duration.ofSeconds(3));
      long start = System.nanoTime();
      assertThat(proof.check(DOMAIN, TOKEN).proven()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void aChunkedAnswerIsReadAsItsBody() throws IOException {
    assertThat(
            HttpDomainProof.parse(
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n3\r\nfgh\r\n0\r\n\r\n")
                .body())
        .isEqualTo("abcdefgh");
  }
}
