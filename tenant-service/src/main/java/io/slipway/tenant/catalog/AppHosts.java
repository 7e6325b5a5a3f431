package io.slipway.tenant.catalog;

import io.slipway.kit.problem.Problem;

/**
 * The default host label of an app, {@code <app>--<project>--<tenant>}, under the platform's apps
 * domain. Names never hold {@code --} (checked at the edge), so the label parses back into exactly
 * one (app, project, tenant) and two apps can never get the same one. It must fit one DNS label.
 * Holding {@code --}, it is never one of the platform's own hosts ({@code portal}, {@code api},
 * ...), which hold none.
 */
final class AppHosts {

  static final int MAX_LABEL = 63;
  static final String SEPARATOR = "--";

  private AppHosts() {}

  /** The app's host label; a 422 problem when it cannot be one. */
  static String label(String tenant, String project, String app) {
    return checked(
        app + SEPARATOR + project + SEPARATOR + tenant,
        "The app's host",
        "Choose a shorter app name: app, project and tenant names may hold "
            + (MAX_LABEL - 2 * SEPARATOR.length()));
  }

  /**
   * A preview's host label, {@code <preview>--<app>--<project>--<tenant>}: its app name is {@code
   * <preview>--<app>}, so this is the app rule, and it names exactly one preview for the same
   * reason. A 422 problem when it cannot be one.
   */
  static String previewLabel(String tenant, String project, String app, String preview) {
    return checked(
        Previews.appName(preview, app) + SEPARATOR + project + SEPARATOR + tenant,
        "The preview's host",
        "Choose a shorter preview name: preview, app, project and tenant names may hold "
            + (MAX_LABEL - 3 * SEPARATOR.length()));
  }

  private static String checked(String label, String what, String advice) {
    if (label.length() > MAX_LABEL) {
      throw Problem.invalid(
              "host-too-long",
              what
                  + " '"
                  + label
                  + "' would be "
                  + label.length()
                  + " characters; a host label holds at most "
                  + MAX_LABEL
                  + ". "
                  + advice
                  + " characters together")
          .with("host", label)
          .with("length", label.length())
          .with("max", MAX_LABEL);
    }
    requireNotIdna(label);
    return label;
  }

  /**
   * Refuses IDNA A-labels ({@code xn--}, an app named {@code xn}), which browsers decode into
   * another name.
   */
  static void requireNotIdna(String label) {
    if (label.startsWith("xn" + SEPARATOR)) {
      throw Problem.conflict(
              "host-reserved", "The host '" + label + "' is reserved by the platform")
          .with("host", label);
    }
  }
}
