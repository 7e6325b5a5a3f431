package io.slipway.tenant.catalog;

import java.security.SecureRandom;
import java.util.function.Predicate;

/**
 * Issues the immutable ids of tenants, projects and apps: a kind letter ({@code t}, {@code p},
 * {@code a}) and eleven base32 characters from a CSPRNG (55 random bits). An id is a DNS label and
 * never holds {@code --}, so it can name a network, a namespace, a container or a directory as it
 * is, and no two kinds share one. Unique constraints in the database are the last line of defence.
 */
final class CatalogIds {

  static final char TENANT = 't';
  static final char PROJECT = 'p';
  static final char APP = 'a';

  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final int RANDOM_CHARS = 11;
  private static final SecureRandom RANDOM = new SecureRandom();

  private CatalogIds() {}

  /** A fresh id of the kind that {@code taken} does not know yet. */
  static String issue(char kind, Predicate<String> taken) {
    while (true) {
      String id = random(kind);
      if (!taken.test(id)) {
        return id;
      }
    }
  }

  static String random(char kind) {
    char[] id = new char[1 + RANDOM_CHARS];
    id[0] = kind;
    for (int i = 1; i < id.length; i++) {
      id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(id);
  }
}
