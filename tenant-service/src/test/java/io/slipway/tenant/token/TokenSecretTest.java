package io.slipway.tenant.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenSecretTest {

  private static final String FORTY_A = "a".repeat(40);

  @Test
  void generatedSecretsArePrefixedBase62AndNeverRepeat() {
    Set<String> secrets = new HashSet<>();
    IntStream.range(0, 1000).forEach(i -> secrets.add(TokenSecret.generate()));
    assertThat(secrets).hasSize(1000);
    assertThat(secrets).allMatch(secret -> secret.matches("slp_[0-9A-Za-z]{40}"));
    assertThat(secrets).allMatch(TokenSecret::wellFormed);
    // every part of the alphabet is drawn from (40,000 characters make a miss impossible in
    // practice)
    String all = String.join("", secrets).replace("slp_", "");
    assertThat(all).containsPattern("[0-9]").containsPattern("[A-Z]").containsPattern("[a-z]");
  }

  @Test
  void theHashIsTheSha256OfTheWholeSecret() {
    // sha256sum of the 44 ASCII characters "slp_" + 40 x "a"
    assertThat(HexFormat.of().formatHex(TokenSecret.hash("slp_" + FORTY_A)))
        .isEqualTo("8ee586f92e8e0bc4309978a239c7e615047b0911cd8c4bcb3f21c89b0113b351");
  }

  @Test
  void theDisplayPrefixIsTheMarkerAndEightCharacters() {
    assertThat(TokenSecret.displayPrefix("slp_AbCdEfGh" + "x".repeat(32)))
        .isEqualTo("slp_AbCdEfGh");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "slp_",
        "slp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "slp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "slp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a",
        "SLP_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        " slp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
        "hunter2"
      })
  void anythingElseIsNotAToken(String candidate) {
    assertThat(TokenSecret.wellFormed(candidate)).isFalse();
  }

  @Test
  void exactlyTheFormatIsAToken() {
    assertThat(TokenSecret.wellFormed("slp_" + FORTY_A)).isTrue();
    assertThat(TokenSecret.wellFormed("slp_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcd")).isTrue();
  }
}
