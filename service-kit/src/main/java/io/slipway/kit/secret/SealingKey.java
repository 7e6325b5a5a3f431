package io.slipway.kit.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256 key of a {@link SecretBox}: what it seals and opens, the HMAC key derived from it for
 * signing, and its id, a fingerprint that names the key in sealed values and logs without revealing
 * it.
 */
final class SealingKey {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec aes;
  private final byte[] signing;
  private final String id;

  SealingKey(byte[] key) {
    this.aes = new SecretKeySpec(key, "AES");
    // never the key itself: a signature must not be an oracle on the sealing key
    this.signing = hmac(key, "slipway-sign");
    this.id = HexFormat.of().formatHex(hmac(key, "slipway-key-id"), 0, 8);
  }

  /** 16 hex digits: the first 8 bytes of HMAC-SHA256(key, "slipway-key-id"). */
  String id() {
    return id;
  }

  /** {@code nonce || ciphertext || tag}, the context authenticated as associated data. */
  byte[] seal(String plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      byte[] sealed =
          cipher(Cipher.ENCRYPT_MODE, nonce, context)
              .doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * What {@link #seal} made for the same context.
   *
   * @throws GeneralSecurityException when the key or context differ or the value was altered
   */
  String open(byte[] sealed, String context) throws GeneralSecurityException {
    if (sealed.length < NONCE_BYTES) {
      throw new GeneralSecurityException("a sealed secret is too short");
    }
    byte[] plain =
        cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(sealed, NONCE_BYTES), context)
            .doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    return new String(plain, StandardCharsets.UTF_8);
  }

  /** HMAC-SHA256 of the message under the derived key, base64url without padding. */
  String sign(String message) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(signing, message));
  }

  private Cipher cipher(int mode, byte[] nonce, String context) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, aes, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  private static byte[] hmac(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
