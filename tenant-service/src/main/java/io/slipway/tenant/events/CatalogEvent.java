package io.slipway.tenant.events;

import java.time.Instant;

/**
 * Something other services must act on: a tenant, project or app was deleted, and everything they
 * hold of it (containers, routes, networks, images, repositories, webhook secrets, rows) is to be
 * removed. Ids say what; names are for logs and humans. Delivered at least once, in {@code seq}
 * order, so consumers apply each idempotently.
 *
 * @param seq the position in the feed; a consumer asks for events after the last one it applied
 * @param type {@code tenant.deleted}, {@code project.deleted} or {@code app.deleted}
 * @param projectId null for a tenant
 * @param appId null unless an app
 */
public record CatalogEvent(
    long seq,
    String type,
    String tenantId,
    String projectId,
    String appId,
    String tenant,
    String project,
    String app,
    Instant at) {

  public static final String TENANT_DELETED = "tenant.deleted";
  public static final String PROJECT_DELETED = "project.deleted";
  public static final String APP_DELETED = "app.deleted";
}
