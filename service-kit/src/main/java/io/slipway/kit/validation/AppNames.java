package io.slipway.kit.validation;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How apps and their previews (issue 25) are named, as every service reads an app name in a path:
 * an app's own name is a DNS-1123 label of at most {@link #LABEL_MAX} characters without {@code
 * --}; a preview of it is the app {@code <preview>--<app>}, its own name such a label too. Since
 * neither part ever holds {@code --}, a name holding it is always a preview's and splits back into
 * exactly one (preview, app).
 */
public final class AppNames {

  /** The longest app name and the longest preview name. */
  public static final int LABEL_MAX = 21;

  /** What joins a preview's name to its app's. */
  public static final String SEPARATOR = "--";

  /** The rule a preview's name breaks, as said to whoever chose it. */
  public static final String PREVIEW_RULE =
      "a preview's name is a DNS-1123 label of at most "
          + LABEL_MAX
          + " characters (lower-case letters, digits and '-', starting and ending with a letter"
          + " or digit) without '--'";

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private AppNames() {}

  /** Whether {@code name} is an app's own name or a preview's, {@code <preview>--<app>}. */
  public static boolean isAppName(String name) {
    if (name == null) {
      return false;
    }
    int separator = name.indexOf(SEPARATOR);
    return separator < 0
        ? isLabel(name)
        : isLabel(name.substring(0, separator))
            && isLabel(name.substring(separator + SEPARATOR.length()));
  }

  /** Whether {@code name} may name a preview (or an app): a label without {@code --}. */
  public static boolean isLabel(String name) {
    return name != null
        && name.length() <= LABEL_MAX
        && !name.contains(SEPARATOR)
        && LABEL.matcher(name).matches();
  }

  /** The app name of {@code app}'s preview {@code preview}: {@code <preview>--<app>}. */
  public static String previewApp(String preview, String app) {
    return preview + SEPARATOR + app;
  }

  /** The app a preview's app name previews ({@code web} of {@code pr-12--web}); empty for apps. */
  public static Optional<String> parentOf(String name) {
    int separator = name.indexOf(SEPARATOR);
    return separator < 0
        ? Optional.empty()
        : Optional.of(name.substring(separator + SEPARATOR.length()));
  }
}
