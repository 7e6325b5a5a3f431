package io.slipway.runtime.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

  private static String key() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private final SecretBox box = SecretBox.fromBase64(key());

  @Test
  void sealsWithAFreshNonceAndOpensForTheSameApp() {
    String once = box.seal("hunter2", "acme/shop/web");
    String twice = box.seal("hunter2", "acme/shop/web");
    assertThat(once).isNotEqualTo(twice).doesNotContain("hunter2");
    assertThat(Base64.getDecoder().decode(once)).hasSize(12 + "hunter2".length() + 16);
    assertThat(box.open(once, "acme/shop/web")).isEqualTo("hunter2");
  }

  @Test
  void refusesAnotherAppAnotherKeyAndAlteredValues() {
    String sealed = box.seal("hunter2", "acme/shop/web");
    assertThatThrownBy(() -> box.open(sealed, "acme/shop/api"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> SecretBox.fromBase64(key()).open(sealed, "acme/shop/web"))
        .isInstanceOf(IllegalStateException.class);
    byte[] bytes = Base64.getDecoder().decode(sealed);
    bytes[bytes.length - 1] ^= 1;
    String altered = Base64.getEncoder().encodeToString(bytes);
    assertThatThrownBy(() -> box.open(altered, "acme/shop/web"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aMissingOrShortKeyFailsNamingTheSetting() {
    assertThatThrownBy(() -> SecretBox.fromBase64(""))
        .hasMessageContaining("slipway.runtime.secret-key");
    assertThatThrownBy(() -> SecretBox.fromBase64("c2hvcnQ=")).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> SecretBox.fromBase64("not base64!"))
        .hasMessageContaining("not base64");
  }
}
