package io.slipway.tenant.catalog;

/**
 * How a preview (issue 25) is named as an app: {@code <preview>--<app>}. Names users choose for
 * apps never hold {@code --} (checked at the edge and by a constraint), and a preview's own name
 * never does either, so a preview's app name is never an app's and parses back into exactly one
 * (preview, app). Its host label then follows the app rule, {@code
 * <preview>--<app>--<project>--<tenant>}.
 */
final class Previews {

  private Previews() {}

  static String appName(String preview, String app) {
    return preview + AppHosts.SEPARATOR + app;
  }
}
