package io.slipway.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Ids of the form tenant-service issues ({@code t}, {@code p} or {@code a} and eleven base32
 * characters), for tests that need an app's ids without asking tenant-service: derived from a seed,
 * so the same seed gives the same id and different seeds different ones.
 */
public final class TestIds {

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

  private TestIds() {}

  /** An id of the kind ({@code 't'}, {@code 'p'} or {@code 'a'}) from a hash of {@code seed}. */
  public static String id(char kind, String seed) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      StringBuilder id = new StringBuilder().append(kind);
      for (int i = 0; i < 11; i++) {
        id.append(ALPHABET.charAt(hash[i] & 31));
      }
      return id.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String tenant(String tenant) {
    return id('t', tenant);
  }

  public static String project(String tenant, String project) {
    return id('p', tenant + "/" + project);
  }

  public static String app(String tenant, String project, String app) {
    return id('a', tenant + "/" + project + "/" + app);
  }
}
