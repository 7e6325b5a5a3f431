package io.slipway.portal.app;

/** An app as the portal's paths name it; every service call for it uses these names only. */
record AppRef(String tenant, String project, String app) {

  static final String PROJECT = "/t/{tenant:[a-z0-9-]{1,20}}/p/{project:[a-z0-9-]{1,20}}";
  static final String PATH = PROJECT + "/a/{app:[a-z0-9-]{1,21}}";

  /** The app in the services' APIs; expanded with {@link #vars()}. */
  static final String API = "/api/v1/tenants/{t}/projects/{p}/apps/{a}";

  Object[] vars() {
    return new Object[] {tenant, project, app};
  }

  /** The same variables followed by {@code more}, for paths below the app. */
  Object[] vars(Object... more) {
    Object[] all = new Object[3 + more.length];
    System.arraycopy(vars(), 0, all, 0, 3);
    System.arraycopy(more, 0, all, 3, more.length);
    return all;
  }

  /** The app's page in the portal. */
  String page() {
    return projectPage() + "/a/" + app;
  }

  String projectPage() {
    return "/t/" + tenant + "/p/" + project;
  }
}
