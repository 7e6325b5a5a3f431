package io.slipway.runtime.secret;

import io.slipway.kit.secret.SecretBox;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What {@link SecretBox} made before values named their key, written out here on its own so the
 * tests hold the box to it: databases and routes of that time hold values of this form.
 */
public final class FirstForm {

  private FirstForm() {}

  /** A value as it was sealed: {@code base64(nonce || ciphertext || tag)}, the context as AAD. */
  public static String seal(String base64Key, String plaintext, String context) {
    try {
      byte[] nonce = new byte[12];
      new SecureRandom().nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(Base64.getDecoder().decode(base64Key), "AES"),
          new GCMParameterSpec(128, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder()
          .encodeToString(
              ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A signature as it was made: HMAC-SHA256 under HMAC(key, "slipway-sign"), base64url. */
  public static String sign(String base64Key, String message) {
    try {
      Mac kdf = Mac.getInstance("HmacSHA256");
      kdf.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              kdf.doFinal("slipway-sign".getBytes(StandardCharsets.UTF_8)), "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh AES-256 key, base64. */
  public static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
