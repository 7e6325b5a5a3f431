package io.slipway.kit.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BasicCredentialsTest {

  private static String basic(String credentials) {
    return "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void splitsAtTheFirstColon() {
    assertThat(BasicCredentials.parse(basic("acme+ci:s3:cret")))
        .contains(new BasicCredentials("acme+ci", "s3:cret"));
    assertThat(BasicCredentials.parse("bAsIc " + basic("git:slp_x").substring(6)))
        .contains(new BasicCredentials("git", "slp_x"));
    assertThat(BasicCredentials.parse(basic(":only-a-password")))
        .contains(new BasicCredentials("", "only-a-password"));
    assertThat(BasicCredentials.parse(basic("é:ü"))).contains(new BasicCredentials("é", "ü"));
  }

  @Test
  void refusesWhatIsNotBasicCredentials() {
    assertThat(BasicCredentials.parse(null)).isEmpty();
    assertThat(BasicCredentials.parse("Bearer abc")).isEmpty();
    assertThat(BasicCredentials.parse("Basic !!!")).isEmpty();
    assertThat(BasicCredentials.parse("Basic")).isEmpty();
    assertThat(BasicCredentials.parse(basic("no-colon"))).isEmpty();
  }

  @Test
  void refusesOversizedCredentialsUnread() {
    String longest = "u:" + "p".repeat(BasicCredentials.MAX_LENGTH - 2);
    assertThat(BasicCredentials.parse(basic(longest))).isPresent();
    assertThat(BasicCredentials.parse(basic(longest + "p"))).isEmpty();
    assertThat(BasicCredentials.parse("Basic " + "A".repeat(10_000_000))).isEmpty();
  }
}
