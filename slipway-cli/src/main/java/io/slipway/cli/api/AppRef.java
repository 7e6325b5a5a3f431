package io.slipway.cli.api;

/** An app by its names: {@code tenant/project/app}. */
public record AppRef(String tenant, String project, String app) {
  @Override
  public String toString() {
    return tenant + "/" + project + "/" + app;
  }
}
