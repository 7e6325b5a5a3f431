package io.slipway.portal.app;

/** An app as the portal's paths name it. */
record AppRef(String tenant, String project, String app) {

  static final String PROJECT = "/t/{tenant:[a-z0-9-]{1,20}}/p/{project:[a-z0-9-]{1,20}}";
  static final String PATH = PROJECT + "/a/{app:[a-z0-9-]{1,21}}";

  /** The app's page in the portal. */
  String page() {
    return projectPage() + "/a/" + app;
  }

  String projectPage() {
    return "/t/" + tenant + "/p/" + project;
  }
}
