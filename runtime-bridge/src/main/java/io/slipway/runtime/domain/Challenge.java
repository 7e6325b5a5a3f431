package io.slipway.runtime.domain;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * A pending claim's challenge: the router answers {@link #path()} on {@code domain} with the token,
 * and a DNS TXT record {@link #txtName()} may hold it instead.
 *
 * @param domain the claimed domain, lower-cased
 * @param token 256 random bits, base64url without padding
 */
public record Challenge(String domain, String token) {

  /** Where the HTTP check asks on the domain. */
  public static final String PATH_PREFIX = "/.well-known/slipway-domain/";

  /** The label under the domain that holds the DNS TXT record. */
  public static final String TXT_LABEL = "_slipway-challenge.";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A fresh token from the platform's CSPRNG: 32 bytes, 43 URL-safe characters. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public String path() {
    return PATH_PREFIX + token;
  }

  /** The URL the HTTP check fetches (port 80 unless the platform is told otherwise). */
  public String url() {
    return "http://" + domain + path();
  }

  public String txtName() {
    return TXT_LABEL + domain;
  }
}
