package io.slipway.portal.app;

/** An app as the portal's paths name it. */
record AppRef(String tenant, String project, String app) {

  static final String PROJECT = "/t/{tenant:[a-z0-9-]{1,20}}/p/{project:[a-z0-9-]{1,20}}";

  /** An app's name, or a preview's ({@code <preview>--<app>}, two names of at most 21). */
  static final String PATH = PROJECT + "/a/{app:[a-z0-9-]{1,44}}";

  /** The app's page in the portal. */
  String page() {
    return projectPage() + "/a/" + app;
  }

  String projectPage() {
    return "/t/" + tenant + "/p/" + project;
  }
}
