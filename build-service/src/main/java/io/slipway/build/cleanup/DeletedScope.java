package io.slipway.build.cleanup;

import io.slipway.kit.catalog.CatalogEvent;
import java.nio.file.Path;

/**
 * What one deletion event covers, by id: a whole tenant, one project or one app. Tells which rows
 * match, which directory holds its repositories and which image names are its.
 *
 * @param column the build, webhook_secret and commit_status_setting column that holds the deleted
 *     object's id
 * @param id that id
 * @param path {@code <tenant id>[/<project id>[/<app id>]]}: the start of its image names and of
 *     its repository paths
 */
record DeletedScope(String column, String id, String path) {

  static DeletedScope of(CatalogEvent event) {
    if (event.appId() != null) {
      return new DeletedScope(
          "app_id",
          event.appId(),
          event.tenantId() + "/" + event.projectId() + "/" + event.appId());
    }
    if (event.projectId() != null) {
      return new DeletedScope(
          "project_id", event.projectId(), event.tenantId() + "/" + event.projectId());
    }
    return new DeletedScope("tenant_id", event.tenantId(), event.tenantId());
  }

  /** The id of the tenant it is or is in. */
  String tenantId() {
    int slash = path.indexOf('/');
    return slash < 0 ? path : path.substring(0, slash);
  }

  /** Whether it is a whole tenant, whose build sandbox goes too. */
  boolean tenant() {
    return "tenant_id".equals(column);
  }

  /** The directory (an app's: its {@code .git} directory) holding its repositories. */
  Path repositories(Path dataDir) {
    return "app_id".equals(column) ? dataDir.resolve(path + ".git") : dataDir.resolve(path);
  }

  /** Whether a local image name ({@code <prefix>/<ids...>:<tag>}) is one of its images. */
  boolean owns(String imagePrefix, String image) {
    return image.startsWith(imagePrefix + "/" + path + "/")
        || image.startsWith(imagePrefix + "/" + path + ":");
  }
}
