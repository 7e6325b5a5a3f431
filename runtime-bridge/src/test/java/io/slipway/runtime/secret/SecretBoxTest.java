package io.slipway.runtime.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.kit.secret.SecretBox;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

  private static final String APP = "acme/shop/web";

  private static String key() {
    return FirstForm.newKey();
  }

  private final String keyA = key();
  private final String keyB = key();
  private final SecretBox box = SecretBox.fromBase64(keyA);

  @Test
  void sealsWithAFreshNonceUnderANamedKeyAndOpensForTheSameApp() {
    String once = box.seal("hunter2", APP);
    String twice = box.seal("hunter2", APP);
    assertThat(once).isNotEqualTo(twice).doesNotContain("hunter2");
    assertThat(box.keyId()).matches("[0-9a-f]{16}");
    assertThat(once).startsWith("v2." + box.keyId() + ".").startsWith(box.currentKeyPrefix());
    assertThat(Base64.getDecoder().decode(once.substring(box.currentKeyPrefix().length())))
        .hasSize(12 + "hunter2".length() + 16);
    assertThat(box.open(once, APP)).isEqualTo("hunter2");
    assertThat(SecretBox.fromBase64(keyA).keyId())
        .as("the id is the key's, not the box's")
        .isEqualTo(box.keyId());
    assertThat(SecretBox.fromBase64(keyB).keyId()).isNotEqualTo(box.keyId());
  }

  @Test
  void refusesAnotherAppAnotherKeyAndAlteredValues() {
    String sealed = box.seal("hunter2", APP);
    assertThatThrownBy(() -> box.open(sealed, "acme/shop/api"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("another app");
    assertThatThrownBy(() -> SecretBox.fromBase64(keyB).open(sealed, APP))
        .isInstanceOf(IllegalStateException.class);
    String body = sealed.substring(box.currentKeyPrefix().length());
    byte[] bytes = Base64.getDecoder().decode(body);
    bytes[bytes.length - 1] ^= 1;
    String altered = box.currentKeyPrefix() + Base64.getEncoder().encodeToString(bytes);
    assertThatThrownBy(() -> box.open(altered, APP)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aValueOfTheFirstFormOpensUnderTheCurrentOrAPreviousKey() {
    String underA = FirstForm.seal(keyA, "hunter2", APP);

    assertThat(box.open(underA, APP)).isEqualTo("hunter2");
    assertThat(SecretBox.fromBase64(keyB, keyA).open(underA, APP)).isEqualTo("hunter2");
    assertThatThrownBy(() -> SecretBox.fromBase64(keyB, keyA).open(underA, "acme/shop/api"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> SecretBox.fromBase64(keyB).open(underA, APP))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("slipway.runtime.secret-key")
        .hasMessageContaining("slipway.runtime.previous-secret-keys");
  }

  @Test
  void afterARotationWhatTheOldKeySealedOpensAndNewValuesNameTheNewKey() {
    String underA = box.seal("hunter2", APP);
    SecretBox rotated = SecretBox.fromBase64(keyB, key() + ", " + keyA);

    assertThat(rotated.open(underA, APP)).isEqualTo("hunter2");
    assertThat(rotated.previousKeys()).isEqualTo(2);
    String underB = rotated.seal("hunter2", APP);
    assertThat(underB).startsWith("v2." + SecretBox.fromBase64(keyB).keyId() + ".");
    assertThat(SecretBox.fromBase64(keyB).open(underB, APP)).isEqualTo("hunter2");
    assertThatThrownBy(() -> rotated.open(underA, "acme/shop/api"))
        .as("a previous key's value is still bound to its app")
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aValueUnderAKeyThatIsNeitherCurrentNorPreviousSaysWhichKey() {
    String underA = box.seal("hunter2", APP);

    assertThatThrownBy(() -> SecretBox.fromBase64(keyB).open(underA, APP))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "a secret was sealed with key "
                + box.keyId()
                + ", which is not slipway.runtime.secret-key or one of"
                + " slipway.runtime.previous-secret-keys");
  }

  @Test
  void signaturesUnderTheCurrentOrAPreviousKeyVerifyAndOthersDoNot() {
    String beforeRotation = box.sign("activate:a1");
    assertThat(beforeRotation)
        .as("as routes written before values named their key carry it")
        .isEqualTo(FirstForm.sign(keyA, "activate:a1"));
    SecretBox rotated = SecretBox.fromBase64(keyB, keyA);

    assertThat(rotated.sign("activate:a1"))
        .as("signed with the new key")
        .isNotEqualTo(beforeRotation)
        .isEqualTo(SecretBox.fromBase64(keyB).sign("activate:a1"));
    assertThat(rotated.verify("activate:a1", beforeRotation)).isTrue();
    assertThat(rotated.verify("activate:a1", rotated.sign("activate:a1"))).isTrue();
    assertThat(rotated.verify("activate:a2", beforeRotation)).isFalse();
    assertThat(SecretBox.fromBase64(keyB).verify("activate:a1", beforeRotation))
        .as("once the old key is removed")
        .isFalse();
    assertThat(box.verify("activate:a1", rotated.sign("activate:a1")))
        .as("a key that was never configured")
        .isFalse();
  }

  @Test
  void aMissingOrShortKeyFailsNamingTheSetting() {
    assertThatThrownBy(() -> SecretBox.fromBase64(""))
        .hasMessageContaining("slipway.runtime.secret-key");
    assertThatThrownBy(() -> SecretBox.fromBase64("c2hvcnQ=")).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> SecretBox.fromBase64("not base64!"))
        .hasMessageContaining("not base64");
  }

  @Test
  void aMalformedPreviousKeyFailsNamingItsSettingAndPlaceWithoutShowingIt() {
    assertThatThrownBy(() -> SecretBox.fromBase64(keyA, keyB + ",c2hvcnQ="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "key 2 of slipway.runtime.previous-secret-keys (SLIPWAY_RUNTIME_PREVIOUS_SECRET_KEYS)"
                + " must decode to 32 bytes (AES-256), not 5")
        .hasNoCause();
    assertThatThrownBy(() -> SecretBox.fromBase64(keyA, "not-base64!"))
        .hasMessage(
            "key 1 of slipway.runtime.previous-secret-keys (SLIPWAY_RUNTIME_PREVIOUS_SECRET_KEYS)"
                + " is not base64")
        .hasNoCause();
    assertThat(SecretBox.fromBase64(keyA, ",\n" + keyB + ",," + keyA + "\n").previousKeys())
        .as("lines and empty items, the current key among them: one previous key")
        .isEqualTo(1);
    assertThat(SecretBox.fromBase64(keyA, " ").previousKeys()).isZero();
  }
}
