package io.slipway.kit.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Encrypts secrets at rest with AES-256-GCM under a configured key ({@code
 * slipway.runtime.secret-key} for runtime-bridge's app secrets, {@code slipway.build.secret-key}
 * for build-service's forge tokens), and still opens what was sealed under the previous keys, so
 * that the key can be rotated without making stored secrets unreadable.
 *
 * <p>Each value gets a fresh 96-bit nonce; the sealed form is {@code v2.<key id>.<base64(nonce ||
 * ciphertext || tag)>}, where the key id ({@link #keyId}) names the key without revealing it. A
 * value of the first form, {@code base64(nonce || ciphertext || tag)} alone, names no key: it is
 * tried under each key. The context (the app a secret belongs to) is authenticated as associated
 * data, so a sealed value copied to another app's row does not open.
 */
public final class SecretBox {

  private static final String VERSION = "v2.";

  private final SealingKey current;

  /** The settings' names, for messages: e.g. {@code slipway.runtime.secret-key}. */
  private final String currentName;

  private final String previousName;

  /** Every key that opens, by id: the current one first. */
  private final Map<String, SealingKey> keys = new LinkedHashMap<>();

  private SecretBox(
      SealingKey current, List<SealingKey> previous, String currentName, String previousName) {
    this.current = current;
    this.currentName = currentName;
    this.previousName = previousName;
    keys.put(current.id(), current);
    previous.forEach(key -> keys.putIfAbsent(key.id(), key));
  }

  /**
   * A box for a base64 key of exactly 32 bytes, and no previous keys.
   *
   * @throws IllegalArgumentException naming the setting when the key is missing or malformed
   */
  public static SecretBox fromBase64(String base64Key) {
    return fromBase64(base64Key, "");
  }

  /**
   * A box that seals with {@code base64Key} and also opens what the previous keys sealed: base64
   * keys of 32 bytes each, separated by commas (or white space, as a file of one key a line has).
   *
   * @throws IllegalArgumentException naming the setting (never showing a key) when a key is missing
   *     or malformed
   */
  public static SecretBox fromBase64(String base64Key, String previousKeys) {
    return fromBase64(base64Key, previousKeys, "slipway.runtime");
  }

  /**
   * As {@link #fromBase64(String, String)}, for the keys configured as {@code <prefix>.secret-key}
   * and {@code <prefix>.previous-secret-keys}, which messages name.
   */
  public static SecretBox fromBase64(String base64Key, String previousKeys, String prefix) {
    String currentName = prefix + ".secret-key";
    String previousName = prefix + ".previous-secret-keys";
    String variable = prefix.toUpperCase(Locale.ROOT).replace('.', '_');
    if (base64Key == null || base64Key.isBlank()) {
      throw new IllegalArgumentException(
          currentName
              + " ("
              + variable
              + "_SECRET_KEY) is required: 32 random bytes,"
              + " base64 (e.g. openssl rand -base64 32)");
    }
    SealingKey current = new SealingKey(decode(base64Key, currentName));
    List<SealingKey> previous = new ArrayList<>();
    if (previousKeys != null) {
      List<String> items =
          Arrays.stream(previousKeys.split("[,\\s]+")).filter(item -> !item.isEmpty()).toList();
      for (int i = 0; i < items.size(); i++) {
        String name =
            "key " + (i + 1) + " of " + previousName + " (" + variable + "_PREVIOUS_SECRET_KEYS)";
        previous.add(new SealingKey(decode(items.get(i), name)));
      }
    }
    return new SecretBox(current, previous, currentName, previousName);
  }

  private static byte[] decode(String base64Key, String name) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64Key.strip());
    } catch (IllegalArgumentException e) {
      // not chained: the decoder's message quotes a character of the key
      throw new IllegalArgumentException(name + " is not base64");
    }
    if (key.length != 32) {
      throw new IllegalArgumentException(
          name + " must decode to 32 bytes (AES-256), not " + key.length);
    }
    return key;
  }

  /** The id of the key this box seals and signs with, which every value it seals names. */
  public String keyId() {
    return current.id();
  }

  /** How many keys other than the current one this box still opens with. */
  public int previousKeys() {
    return keys.size() - 1;
  }

  /**
   * An HMAC-SHA256 of {@code message} under a key derived from the current key (never the key
   * itself), base64url without padding: proof that the message came from a holder of the key.
   */
  public String sign(String message) {
    return current.sign(message);
  }

  /**
   * Whether {@code signature} is what {@link #sign} makes of {@code message} under the current key
   * or a previous one (what was signed before a rotation stays valid while its key is kept). Every
   * key is compared, each in constant time.
   */
  public boolean verify(String message, String signature) {
    byte[] given = signature.getBytes(StandardCharsets.US_ASCII);
    boolean valid = false;
    for (SealingKey key : keys.values()) {
      valid |= MessageDigest.isEqual(key.sign(message).getBytes(StandardCharsets.US_ASCII), given);
    }
    return valid;
  }

  /** Encrypts {@code plaintext} bound to {@code context}, under the current key. */
  public String seal(String plaintext, String context) {
    return currentKeyPrefix()
        + Base64.getEncoder().encodeToString(current.seal(plaintext, context));
  }

  /**
   * How every value sealed under the current key starts ({@code v2.<key id>.}): one that starts
   * otherwise is of the first form or under another key, and re-sealing it moves it to this key.
   */
  public String currentKeyPrefix() {
    return VERSION + current.id() + ".";
  }

  /**
   * Decrypts what {@link #seal} made for the same context under the current or a previous key.
   *
   * @throws IllegalStateException when the value names a key that is neither, when the context
   *     differs, or when the value was altered
   */
  public String open(String sealed, String context) {
    if (!sealed.startsWith(VERSION)) {
      return openUnnamed(sealed, context);
    }
    int dot = sealed.indexOf('.', VERSION.length());
    if (dot < 0) {
      throw new IllegalStateException("a sealed secret is malformed: no key id");
    }
    String id = sealed.substring(VERSION.length(), dot);
    SealingKey key = keys.get(id);
    if (key == null) {
      throw new IllegalStateException(
          "a secret was sealed with key "
              + id
              + ", which is not "
              + currentName
              + " or one of "
              + previousName);
    }
    try {
      return key.open(bytes(sealed.substring(dot + 1)), context);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "a secret sealed with key "
              + id
              + " does not decrypt: it belongs to another app, or the stored value was altered",
          e);
    }
  }

  /** A value of the first form names no key: the current key first, then the previous ones. */
  private String openUnnamed(String sealed, String context) {
    byte[] bytes = bytes(sealed);
    for (SealingKey key : keys.values()) {
      try {
        return key.open(bytes, context);
      } catch (GeneralSecurityException another) {
        // the next key
      }
    }
    throw new IllegalStateException(
        "a secret does not decrypt under "
            + currentName
            + " or any of "
            + previousName
            + ": another key sealed it, it belongs to another app, or the stored value was altered");
  }

  private static byte[] bytes(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("a sealed secret is not base64", e);
    }
  }
}
