package io.slipway.runtime.tenant;

/**
 * A deletion in tenant-service's catalog, from its internal feed: everything the bridge holds of
 * the tenant, project or app (by id) is to be removed.
 *
 * @param type {@code tenant.deleted}, {@code project.deleted} or {@code app.deleted}
 * @param projectId null for a tenant
 * @param appId null unless an app
 */
public record CatalogEvent(
    long seq, String type, String tenantId, String projectId, String appId) {}
