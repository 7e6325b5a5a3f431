package io.slipway.build.queue;

/** An app by name, as tenant-service's catalog addresses it. */
public record AppRef(String tenant, String project, String app) {

  /** The API path of the app, e.g. {@code /api/v1/tenants/acme/projects/web/apps/site}. */
  public String apiPath() {
    return "/api/v1/tenants/" + tenant + "/projects/" + project + "/apps/" + app;
  }

  @Override
  public String toString() {
    return tenant + "/" + project + "/" + app;
  }
}
