package io.slipway.governance.advisory;

/**
 * Debian version ordering, as Debian Policy §5.6.12 defines it: {@code
 * [epoch:]upstream[-revision]}; epochs compare numerically, then upstream and revision each by
 * alternating non-digit parts (letters sort before non-letters, and {@code ~} before anything, even
 * the end of the part) and digit parts compared as numbers. A missing epoch is 0; a missing
 * revision sorts as {@code 0}.
 */
final class DebianVersionScheme implements VersionScheme {

  @Override
  public int compare(String a, String b) {
    String[] x = split(a.strip());
    String[] y = split(b.strip());
    int epoch = Numbers.compare(x[0], y[0]);
    if (epoch != 0) {
      return epoch;
    }
    int upstream = compareParts(x[1], y[1]);
    return upstream != 0 ? upstream : compareParts(x[2], y[2]);
  }

  /** {epoch, upstream, revision}. */
  private static String[] split(String version) {
    int colon = version.indexOf(':');
    String epoch =
        colon > 0 && Numbers.isDigits(version.substring(0, colon))
            ? version.substring(0, colon)
            : "0";
    String rest = colon > 0 ? version.substring(colon + 1) : version;
    int dash = rest.lastIndexOf('-');
    return dash < 0
        ? new String[] {epoch, rest, ""}
        : new String[] {epoch, rest.substring(0, dash), rest.substring(dash + 1)};
  }

  private static int order(String s, int i) {
    if (i >= s.length()) {
      return 0;
    }
    char c = s.charAt(i);
    if (Character.isDigit(c)) {
      return 0;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      return c;
    }
    return c == '~' ? -1 : c + 256;
  }

  private static boolean digitAt(String s, int i) {
    return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
  }

  static int compareParts(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while ((i < a.length() && !digitAt(a, i)) || (j < b.length() && !digitAt(b, j))) {
        int diff = order(a, i) - order(b, j);
        if (diff != 0) {
          return Integer.signum(diff);
        }
        i++;
        j++;
      }
      int si = i;
      int sj = j;
      while (digitAt(a, i)) {
        i++;
      }
      while (digitAt(b, j)) {
        j++;
      }
      int numbers =
          Numbers.compare(si < i ? a.substring(si, i) : "0", sj < j ? b.substring(sj, j) : "0");
      if (numbers != 0) {
        return numbers;
      }
    }
    return 0;
  }
}
