package io.slipway.tenant.token;

import io.slipway.tenant.access.PersonalAccessTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * The secret of a personal access token: {@code slp_} and 40 random base62 characters (238 bits).
 * The prefix makes a leaked token recognisable to secret scanners and tells the API to look it up
 * here rather than validate it as a JWT.
 */
final class TokenSecret {

  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int RANDOM_LENGTH = 40;
  private static final Pattern FORMAT =
      Pattern.compile(Pattern.quote(PersonalAccessTokens.PREFIX) + "[0-9A-Za-z]{40}");

  /** What lists show: the prefix and 8 random characters, leaving 32 (190 bits) unknown. */
  static final int DISPLAY_LENGTH = PersonalAccessTokens.PREFIX.length() + 8;

  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenSecret() {}

  static String generate() {
    StringBuilder secret = new StringBuilder(PersonalAccessTokens.PREFIX);
    for (int i = 0; i < RANDOM_LENGTH; i++) {
      secret.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return secret.toString();
  }

  /** Whether the string could be a token at all; anything else is refused without a lookup. */
  static boolean wellFormed(String candidate) {
    return candidate != null && FORMAT.matcher(candidate).matches();
  }

  /** The SHA-256 of the secret: all that is stored, and the key it is found by. */
  static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform provides SHA-256", e);
    }
  }

  /** The non-secret start of the token, by which its owner recognises it in lists. */
  static String displayPrefix(String secret) {
    return secret.substring(0, DISPLAY_LENGTH);
  }
}
