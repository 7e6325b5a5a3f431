package io.slipway.kit.catalog;

/**
 * A deletion in tenant-service's catalog, from its internal feed ({@code GET
 * /api/v1/internal/events}): everything a service holds of the tenant, project or app (by id) is to
 * be removed.
 *
 * @param seq the event's place in the feed
 * @param type {@code tenant.deleted}, {@code project.deleted} or {@code app.deleted}
 * @param projectId null for a tenant
 * @param appId null unless an app
 * @param tenant the tenant's name, which tenant-service's API addresses it by (null when the feed
 *     did not say)
 */
public record CatalogEvent(
    long seq, String type, String tenantId, String projectId, String appId, String tenant) {

  /** An event known by ids alone. */
  public CatalogEvent(long seq, String type, String tenantId, String projectId, String appId) {
    this(seq, type, tenantId, projectId, appId, null);
  }

  /** The id of the deleted object itself: the app's, else the project's, else the tenant's. */
  public String deletedId() {
    return appId != null ? appId : projectId != null ? projectId : tenantId;
  }

  /** Whether the deleted object is, or holds, the app with these ids. */
  public boolean covers(String tenantId, String projectId, String appId) {
    if (this.appId != null) {
      return this.appId.equals(appId);
    }
    if (this.projectId != null) {
      return this.projectId.equals(projectId);
    }
    return this.tenantId.equals(tenantId);
  }
}
