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
    String label = app + SEPARATOR + project + SEPARATOR + tenant;
    if (label.length() > MAX_LABEL) {
      throw Problem.invalid(
              "host-too-long",
              "The app's host '"
                  + label
                  + "' would be "
                  + label.length()
                  + " characters; a host label holds at most "
                  + MAX_LABEL
                  + ". Choose a shorter app name: app, project and tenant names may hold "
                  + (MAX_LABEL - 2 * SEPARATOR.length())
                  + " characters together")
          .with("host", label);
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
