package io.slipway.runtime.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The DNS proof against a fake resolver (JndiTxtResolverTest runs the JDK's DNS client against a
 * DNS responder of its own).
 */
class DnsTxtProofTest {

  private static final String TOKEN = Challenge.newToken();
  private final List<String> asked = new ArrayList<>();

  private DnsTxtProof proofWith(Map<String, List<String>> records) {
    return new DnsTxtProof(
        name -> {
          asked.add(name);
          return records.getOrDefault(name, List.of());
        });
  }

  @Test
  void aTxtRecordHoldingTheTokenProvesTheDomain() {
    DnsTxtProof proof =
        proofWith(
            Map.of(
                "_slipway-challenge.shop.example.com", List.of("v=spf1 -all", " " + TOKEN + " ")));
    assertThat(proof.check("shop.example.com", TOKEN).proven()).isTrue();
    assertThat(asked).containsExactly("_slipway-challenge.shop.example.com");
  }

  @Test
  void noRecordSaysSo() {
    DomainProof.Result result = proofWith(Map.of()).check("shop.example.com", TOKEN);
    assertThat(result.proven()).isFalse();
    assertThat(result.reason())
        .isEqualTo("DNS: there is no TXT record _slipway-challenge.shop.example.com");
  }

  @Test
  void anotherValueIsAWrongAnswer() {
    DomainProof.Result result =
        proofWith(
                Map.of(
                    "_slipway-challenge.shop.example.com",
                    List.of(Challenge.newToken(), TOKEN.substring(1))))
            .check("shop.example.com", TOKEN);
    assertThat(result.proven()).isFalse();
    assertThat(result.reason()).contains("does not hold this domain's token");
  }

  @Test
  void theRecordOfTheDomainItselfOrAParentDoesNotCount() {
    DomainProof.Result result =
        proofWith(
                Map.of(
                    "shop.example.com", List.of(TOKEN),
                    "_slipway-challenge.example.com", List.of(TOKEN)))
            .check("shop.example.com", TOKEN);
    assertThat(result.proven()).isFalse();
  }

  @Test
  void aLookupThatFailsSaysItTimedOutOrFailed() {
    DomainProof.Result result =
        new DnsTxtProof(
                name -> {
                  throw new IOException("timeout");
                })
            .check("shop.example.com", TOKEN);
    assertThat(result.proven()).isFalse();
    assertThat(result.reason()).contains("timed out or failed");
  }

  @Test
  void jndiJoinsTheStrings() {
    // as the JDK's DNS client shows a record: its strings separated by spaces, quoted with one
    assertThat(JndiTxtResolver.unquote("abc def")).isEqualTo("abcdef");
    assertThat(JndiTxtResolver.unquote("\"a b\" c")).isEqualTo("a bc");
    assertThat(JndiTxtResolver.unquote("abc")).isEqualTo("abc");
  }

  @Test
  void tokensAreFreshAndLong() {
    String other = Challenge.newToken();
    assertThat(TOKEN).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(other);
  }
}
