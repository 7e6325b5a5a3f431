package io.slipway.tenant.catalog;

import io.slipway.kit.problem.Problem;
import java.util.Set;

/**
 * The default host label of an app, {@code <app>--<project>--<tenant>}, under the platform's apps
 * domain. Names never hold {@code --} (checked at the edge), so the label parses back into exactly
 * one (app, project, tenant) and two apps can never get the same one. It must fit one DNS label.
 */
final class AppHosts {

  static final int MAX_LABEL = 63;
  static final String SEPARATOR = "--";

  /**
   * Hosts the platform serves itself (or may): never an app's. The scheme cannot produce them (an
   * app's label always holds {@code --}); this is the guard should the scheme ever change.
   */
  static final Set<String> PLATFORM_HOSTS =
      Set.of(
          "portal",
          "api",
          "auth",
          "keycloak",
          "identity",
          "idp",
          "login",
          "sso",
          "oauth",
          "registry",
          "git",
          "admin",
          "www",
          "apps",
          "slipway",
          "console",
          "dashboard",
          "docs",
          "status",
          "health",
          "metrics",
          "grafana",
          "caddy",
          "router",
          "mail",
          "static",
          "assets",
          "cdn",
          "localhost");

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
    requireNotPlatform(label);
    return label;
  }

  /** Refuses the platform's own hosts and IDNA A-labels ({@code xn--}), which browsers decode. */
  static void requireNotPlatform(String label) {
    if (PLATFORM_HOSTS.contains(label) || label.startsWith("xn" + SEPARATOR)) {
      throw Problem.conflict(
              "host-reserved", "The host '" + label + "' is reserved by the platform")
          .with("host", label);
    }
  }
}
