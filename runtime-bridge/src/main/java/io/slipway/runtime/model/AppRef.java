package io.slipway.runtime.model;

import io.slipway.kit.validation.AppNames;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which app. The names (DNS-1123 labels: tenants and projects at most 20 characters, apps at most
 * 21, a preview's app {@code <preview>--<app>} two such labels) are what URLs and humans use; the
 * ids are tenant-service's immutable, opaque ids, and every runtime name (network, containers,
 * namespace, Kubernetes objects, route) is made from them alone, never by joining names, so two
 * apps never share an object and a re-registered name starts empty.
 *
 * @param hostLabel the host label tenant-service reserved for the app alone (it answers at {@code
 *     <hostLabel>.apps.<domain>})
 */
public record AppRef(
    String tenant,
    String project,
    String app,
    String tenantId,
    String projectId,
    String appId,
    String hostLabel) {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern ID = Pattern.compile("[a-z][a-z2-7]{11}");

  public AppRef {
    checkName("tenant", tenant, 20);
    checkName("project", project, 20);
    Objects.requireNonNull(app, "app");
    if (!AppNames.isAppName(app)) {
      throw new IllegalArgumentException(
          "app '"
              + app
              + "' is not an app's name (a DNS-1123 label of at most 21 characters) or a"
              + " preview's (<preview>--<app>)");
    }
    checkId("tenantId", tenantId, 't');
    checkId("projectId", projectId, 'p');
    checkId("appId", appId, 'a');
    checkName("hostLabel", hostLabel, 63);
  }

  private static void checkName(String what, String name, int max) {
    Objects.requireNonNull(name, what);
    if (name.length() > max || !LABEL.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + " '" + name + "' is not a DNS-1123 label of at most " + max + " characters");
    }
  }

  private static void checkId(String what, String id, char kind) {
    Objects.requireNonNull(id, what);
    if (!ID.matcher(id).matches() || id.charAt(0) != kind) {
      throw new IllegalArgumentException(what + " '" + id + "' is not a Slipway id");
    }
  }

  /** The Kubernetes namespace (and Podman network) of the app's project: the project's id. */
  public String namespace() {
    return projectId;
  }

  @Override
  public String toString() {
    return tenant + "/" + project + "/" + app;
  }
}
