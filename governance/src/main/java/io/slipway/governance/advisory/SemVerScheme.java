package io.slipway.governance.advisory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SemVer 2.0 precedence (§11): major, minor and patch numerically; a pre-release sorts before its
 * release; pre-release identifiers compare numerically when both are numeric, numeric before
 * alphanumeric, alphanumerics in ASCII order, and a shorter list first when all else is equal.
 * Build metadata is ignored. npm's tolerated {@code v} or {@code =} prefix is accepted.
 */
class SemVerScheme implements VersionScheme {

  private static final Pattern SEMVER =
      Pattern.compile(
          "(0|[1-9]\\d*|\\d+)\\.(\\d+)\\.(\\d+)(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+[0-9A-Za-z.-]+)?");

  @Override
  public int compare(String a, String b) {
    Matcher x = parse(a);
    Matcher y = parse(b);
    for (int group = 1; group <= 3; group++) {
      int c = Numbers.compare(x.group(group), y.group(group));
      if (c != 0) {
        return c;
      }
    }
    return comparePrerelease(x.group(4), y.group(4));
  }

  /** Strips the prefixes this ecosystem tolerates before the number. */
  String strip(String version) {
    String v = version.strip();
    if (v.startsWith("=")) {
      v = v.substring(1);
    }
    return v.startsWith("v") ? v.substring(1) : v;
  }

  private Matcher parse(String version) {
    Matcher m = SEMVER.matcher(strip(version));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a semantic version: " + version);
    }
    return m;
  }

  private static int comparePrerelease(String a, String b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : 1) : -1;
    }
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean xn = Numbers.isDigits(x[i]);
      boolean yn = Numbers.isDigits(y[i]);
      int c;
      if (xn && yn) {
        c = Numbers.compare(x[i], y[i]);
      } else if (xn || yn) {
        c = xn ? -1 : 1;
      } else {
        c = Integer.signum(x[i].compareTo(y[i]));
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }
}
