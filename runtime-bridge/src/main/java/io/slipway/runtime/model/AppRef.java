package io.slipway.runtime.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which app: tenant, project and app names, each a DNS-1123 label (tenants and projects at most 20
 * characters, apps at most 21), so that {@code <app>-<project>-<tenant>} is one host label.
 */
public record AppRef(String tenant, String project, String app) {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  public AppRef {
    check("tenant", tenant, 20);
    check("project", project, 20);
    check("app", app, 21);
  }

  private static void check(String what, String name, int max) {
    Objects.requireNonNull(name, what);
    if (name.length() > max || !LABEL.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + " '" + name + "' is not a DNS-1123 label of at most " + max + " characters");
    }
  }

  /** The Kubernetes namespace (and Podman network) of the app's project: {@code tenant-project}. */
  public String namespace() {
    return tenant + "-" + project;
  }

  /** The host label under the apps domain: {@code app-project-tenant}. */
  public String hostLabel() {
    return app + "-" + project + "-" + tenant;
  }

  @Override
  public String toString() {
    return tenant + "/" + project + "/" + app;
  }
}
