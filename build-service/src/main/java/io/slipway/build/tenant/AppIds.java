package io.slipway.build.tenant;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An app's immutable, opaque ids as tenant-service issued them. Images and repository directories
 * are named by them alone, never by joining names, so two apps never share one and a name deleted
 * and registered again starts empty.
 */
public record AppIds(String tenantId, String projectId, String appId) {

  private static final Pattern ID = Pattern.compile("[a-z][a-z2-7]{11}");

  public AppIds {
    check("tenantId", tenantId, 't');
    check("projectId", projectId, 'p');
    check("appId", appId, 'a');
  }

  private static void check(String what, String id, char kind) {
    Objects.requireNonNull(id, what);
    if (!ID.matcher(id).matches() || id.charAt(0) != kind) {
      throw new IllegalArgumentException(what + " '" + id + "' is not a Slipway id");
    }
  }

  /** {@code <tenant id>/<project id>/<app id>}: the app's path in image names. */
  public String path() {
    return tenantId + "/" + projectId + "/" + appId;
  }

  /**
   * The app's bare repository under {@code dataDir}: {@code <tenant id>/<project id>/<app id>.git}
   * (an external-git app's fetched copy too).
   */
  public Path repositoryIn(Path dataDir) {
    return dataDir.resolve(tenantId).resolve(projectId).resolve(appId + ".git");
  }
}
