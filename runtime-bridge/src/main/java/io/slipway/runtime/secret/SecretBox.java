package io.slipway.runtime.secret;

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
 * Encrypts app secrets at rest with AES-256-GCM. Each value gets a fresh 96-bit nonce; the sealed
 * form is {@code base64(nonce || ciphertext || tag)}. The context (the app a secret belongs to) is
 * authenticated as associated data, so a sealed value copied to another app's row does not open.
 */
public final class SecretBox {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  private SecretBox(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /**
   * A box for a base64 key of exactly 32 bytes.
   *
   * @throws IllegalArgumentException naming the setting when the key is missing or malformed
   */
  public static SecretBox fromBase64(String base64Key) {
    if (base64Key == null || base64Key.isBlank()) {
      throw new IllegalArgumentException(
          "slipway.runtime.secret-key (SLIPWAY_RUNTIME_SECRET_KEY) is required: 32 random bytes,"
              + " base64 (e.g. openssl rand -base64 32)");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64Key.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("slipway.runtime.secret-key is not base64", e);
    }
    if (key.length != 32) {
      throw new IllegalArgumentException(
          "slipway.runtime.secret-key must decode to 32 bytes (AES-256), not " + key.length);
    }
    return new SecretBox(key);
  }

  /**
   * An HMAC-SHA256 of {@code message} under a key derived from this box's key (never the key
   * itself), base64url without padding: proof that the message came from a holder of the key.
   */
  public String sign(String message) {
    try {
      Mac kdf = Mac.getInstance("HmacSHA256");
      kdf.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      byte[] derived = kdf.doFinal("slipway-sign".getBytes(StandardCharsets.UTF_8));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(derived, "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /** Encrypts {@code plaintext} bound to {@code context}. */
  public String seal(String plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, context);
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder()
          .encodeToString(
              ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * Decrypts what {@link #seal} made for the same context.
   *
   * @throws IllegalStateException when the key or context differ or the value was altered
   */
  public String open(String sealed, String context) {
    byte[] bytes = Base64.getDecoder().decode(sealed);
    if (bytes.length < NONCE_BYTES) {
      throw new IllegalStateException("a sealed secret is too short");
    }
    try {
      Cipher cipher =
          cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(bytes, NONCE_BYTES), context);
      byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "a secret does not decrypt: another secret-key, or the stored value was altered", e);
    }
  }

  private Cipher cipher(int mode, byte[] nonce, String context) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }
}
