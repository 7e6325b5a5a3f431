package io.slipway.runtime.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JNDI TXT lookup against a small DNS responder on loopback UDP (the test's own: it answers TXT
 * questions from a map and NXDOMAIN otherwise), so the JDK's DNS client really runs: the record's
 * strings joined, a missing name empty, a silent server a failure within the budget.
 */
class JndiTxtResolverTest {

  private static final String TOKEN = Challenge.newToken();

  private DatagramSocket server;
  private volatile boolean silent;
  private final Map<String, List<String>> records =
      Map.of(
          "_slipway-challenge.shop.example.com", List.of(TOKEN),
          "split.example.com", List.of("abc", "def"));

  @BeforeEach
  void start() throws IOException {
    server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::serve);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private JndiTxtResolver resolver(Duration timeout) {
    return new JndiTxtResolver(timeout, "dns://127.0.0.1:" + server.getLocalPort());
  }

  @Test
  void readsTheTxtRecordAndTheProofPassesWithIt() throws IOException {
    assertThat(resolver(Duration.ofSeconds(2)).txt("_slipway-challenge.shop.example.com"))
        .containsExactly(TOKEN);
    assertThat(
            new DnsTxtProof(resolver(Duration.ofSeconds(2)))
                .check("shop.example.com", TOKEN)
                .proven())
        .isTrue();
  }

  @Test
  void joinsTheStringsOfOneRecord() throws IOException {
    assertThat(resolver(Duration.ofSeconds(2)).txt("split.example.com")).containsExactly("abcdef");
  }

  @Test
  void aNameThatDoesNotExistHasNoRecords() throws IOException {
    assertThat(resolver(Duration.ofSeconds(2)).txt("_slipway-challenge.nobody.example.com"))
        .isEmpty();
  }

  @Test
  void aServerThatNeverAnswersFailsWithinTheBudget() {
    silent = true;
    long start = System.nanoTime();
    assertThatThrownBy(() -> resolver(Duration.ofMillis(300)).txt("split.example.com"))
        .isInstanceOf(IOException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  /** One answer per question: TXT records from the map, NXDOMAIN for any other name. */
  private void serve() {
    byte[] buffer = new byte[512];
    while (!server.isClosed()) {
      try {
        DatagramPacket query = new DatagramPacket(buffer, buffer.length);
        server.receive(query);
        if (silent) {
          continue;
        }
        byte[] answer = answer(query.getData(), query.getLength());
        server.send(new DatagramPacket(answer, answer.length, query.getSocketAddress()));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private byte[] answer(byte[] query, int length) {
    StringBuilder name = new StringBuilder();
    int at = 12;
    while (query[at] != 0) {
      int label = query[at] & 0xff;
      if (!name.isEmpty()) {
        name.append('.');
      }
      name.append(new String(query, at + 1, label, StandardCharsets.US_ASCII));
      at += label + 1;
    }
    int questionEnd = at + 5; // the name's 0, QTYPE, QCLASS
    List<String> strings = records.get(name.toString().toLowerCase(java.util.Locale.ROOT));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(query[0]);
    out.write(query[1]);
    out.write(0x81); // a response, recursion desired
    out.write(strings == null ? 0x83 : 0x80); // recursion available; NXDOMAIN or no error
    out.writeBytes(new byte[] {0, 1, 0, strings == null ? 0 : (byte) 1, 0, 0, 0, 0});
    out.write(query, 12, questionEnd - 12);
    if (strings != null) {
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      for (String s : strings) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        data.write(bytes.length);
        data.writeBytes(bytes);
      }
      out.writeBytes(new byte[] {(byte) 0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 60});
      out.write(data.size() >> 8);
      out.write(data.size() & 0xff);
      out.writeBytes(data.toByteArray());
    }
    assert length >= questionEnd;
    return out.toByteArray();
  }
}
