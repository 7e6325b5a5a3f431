package io.slipway.kit.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The user name and password of an HTTP Basic {@code Authorization} header (RFC 7617): split at the
 * first colon, so a password may hold colons and a user name may not.
 *
 * @param username what comes before the first colon (may be empty)
 * @param password what comes after it (may be empty)
 */
public record BasicCredentials(String username, String password) {

  /** Longer decoded credentials are refused unread: no token or robot secret comes near. */
  static final int MAX_LENGTH = 1024;

  private static final String SCHEME = "Basic ";

  /**
   * The credentials of {@code header}; empty when it is missing, of another scheme, not base64,
   * without a colon, or longer than {@value #MAX_LENGTH} characters decoded.
   */
  public static Optional<BasicCredentials> parse(String header) {
    if (header == null
        || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
        || header.length() > SCHEME.length() + MAX_LENGTH * 4 / 3 + 4) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(SCHEME.length()).strip()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0 || decoded.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    return Optional.of(
        new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
  }
}
