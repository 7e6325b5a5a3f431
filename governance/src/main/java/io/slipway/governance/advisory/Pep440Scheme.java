package io.slipway.governance.advisory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEP 440 version ordering: {@code [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]}, with the
 * normalisations PEP 440 allows (case, a leading {@code v}, {@code alpha/beta/c/pre/preview},
 * {@code rev/r}, {@code -N} as an implicit post-release, optional separators and numbers).
 *
 * <p>Order: epoch; release (trailing zeros do not count); then a developmental release of a final
 * ({@code 1.0.dev1}) before its pre-releases, pre-releases ({@code a < b < rc}) before the final,
 * post-releases after it; within each, {@code .devN} before the release it develops; finally a
 * local version sorts after the same public version, its segments numeric after alphanumeric.
 */
final class Pep440Scheme implements VersionScheme {

  private static final Pattern PEP440 =
      Pattern.compile(
          "v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)"
              + "(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\\d+)?)?"
              + "(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d+)?)?"
              + "(?:[-_.]?(dev)[-_.]?(\\d+)?)?"
              + "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?");

  /** Sorts below and above any real number. */
  private static final long NEG_INF = Long.MIN_VALUE;

  private static final long POS_INF = Long.MAX_VALUE;

  private record Key(
      long epoch,
      List<Long> release,
      long preKind,
      long preNumber,
      long post,
      long dev,
      List<String> local) {}

  @Override
  public int compare(String a, String b) {
    Key x = key(a);
    Key y = key(b);
    int c = Long.compare(x.epoch(), y.epoch());
    if (c == 0) {
      c = compareRelease(x.release(), y.release());
    }
    if (c == 0) {
      c = Long.compare(x.preKind(), y.preKind());
    }
    if (c == 0) {
      c = Long.compare(x.preNumber(), y.preNumber());
    }
    if (c == 0) {
      c = Long.compare(x.post(), y.post());
    }
    if (c == 0) {
      c = Long.compare(x.dev(), y.dev());
    }
    return c != 0 ? Integer.signum(c) : compareLocal(x.local(), y.local());
  }

  private static Key key(String version) {
    String v = version.strip().toLowerCase(Locale.ROOT);
    Matcher m = PEP440.matcher(v);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a PEP 440 version: " + version);
    }
    long epoch = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
    List<Long> release = new ArrayList<>();
    for (String part : m.group(2).split("\\.")) {
      release.add(Long.parseLong(part));
    }
    while (release.size() > 1 && release.get(release.size() - 1) == 0) {
      release.remove(release.size() - 1);
    }
    boolean hasPost = m.group(5) != null || m.group(6) != null;
    long post = NEG_INF;
    if (m.group(5) != null) {
      post = Long.parseLong(m.group(5));
    } else if (m.group(6) != null) {
      post = m.group(7) == null ? 0 : Long.parseLong(m.group(7));
    }
    boolean hasDev = m.group(8) != null;
    long dev = hasDev ? (m.group(9) == null ? 0 : Long.parseLong(m.group(9))) : POS_INF;
    long preKind;
    long preNumber = 0;
    if (m.group(3) == null) {
      // "1.0.dev1" (no pre, no post) sorts before "1.0a1"; a final or post release after every pre.
      preKind = !hasPost && hasDev ? NEG_INF : POS_INF;
    } else {
      preKind =
          switch (m.group(3)) {
            case "a", "alpha" -> 0;
            case "b", "beta" -> 1;
            default -> 2;
          };
      preNumber = m.group(4) == null ? 0 : Long.parseLong(m.group(4));
    }
    List<String> local = m.group(10) == null ? null : List.of(m.group(10).split("[-_.]"));
    return new Key(epoch, release, preKind, preNumber, post, dev, local);
  }

  private static int compareRelease(List<Long> a, List<Long> b) {
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      long x = i < a.size() ? a.get(i) : 0;
      long y = i < b.size() ? b.get(i) : 0;
      if (x != y) {
        return Long.compare(x, y);
      }
    }
    return 0;
  }

  private static int compareLocal(List<String> a, List<String> b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      boolean an = Numbers.isDigits(a.get(i));
      boolean bn = Numbers.isDigits(b.get(i));
      int c;
      if (an && bn) {
        c = Numbers.compare(a.get(i), b.get(i));
      } else if (an || bn) {
        c = an ? 1 : -1;
      } else {
        c = Integer.signum(a.get(i).compareTo(b.get(i)));
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
