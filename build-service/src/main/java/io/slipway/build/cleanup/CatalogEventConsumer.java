package io.slipway.build.cleanup;

import io.slipway.build.BuildProperties;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.sandbox.BuildSandbox;
import io.slipway.build.tenant.TenantClient;
import io.slipway.build.usage.StorageUsage;
import io.slipway.kit.catalog.CatalogEvent;
import io.slipway.kit.catalog.CatalogFeed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Applies tenant-service's deletions to what build-service holds: for a deleted tenant, project or
 * app its queued and running builds are cancelled, its images removed from local storage, its git
 * repositories (hosted, or fetched for external-git) deleted from disk, a tenant's build sandbox
 * (its image store, cache and sandbox number) and registry robot accounts removed, an app's or
 * project's images removed from its tenant's own store, and its builds, webhook deliveries,
 * attestations and webhook secrets deleted; a build that ends after that deletes the image it made
 * itself and deploys nothing (the deletion is recorded first). Events come from tenant-service's
 * internal feed after the cursor stored in this service's database; the cursor passes an event only
 * once it is applied, so a service that was down (or failed half-way) applies it again and catches
 * up. Every step is idempotent. After an app's or project's deletion the tenant's storage usage is
 * measured again.
 */
@Component
public class CatalogEventConsumer {

  private static final Logger log = LoggerFactory.getLogger(CatalogEventConsumer.class);
  private final CatalogFeed feed;
  private final JdbcClient jdbc;
  private final BuildProperties properties;
  private final LocalImages images;
  private final BuildSandbox sandbox;
  private final BuildQueue queue;
  private final StorageUsage usage;

  CatalogEventConsumer(
      TenantClient tenants,
      JdbcClient jdbc,
      BuildProperties properties,
      LocalImages images,
      BuildSandbox sandbox,
      BuildQueue queue,
      StorageUsage usage) {
    this.queue = queue;
    this.usage = usage;
    this.feed = new CatalogFeed(jdbc, tenants::events);
    this.jdbc = jdbc;
    this.properties = properties;
    this.images = images;
    this.sandbox = sandbox;
  }

  @Scheduled(
      fixedDelayString = "${slipway.build.catalog-events-interval:5s}",
      initialDelayString = "${slipway.build.catalog-events-interval:5s}")
  void scheduled() {
    try {
      catchUp();
    } catch (RuntimeException e) {
      log.warn("Applying catalog events failed; trying again on the next pass: {}", e.getMessage());
    }
  }

  /** Applies every event after the stored cursor; returns how many it applied. */
  public synchronized int catchUp() {
    return feed.catchUp(() -> {}, this::apply);
  }

  private void apply(CatalogEvent event) {
    DeletedScope scope = DeletedScope.of(event);
    apply(scope);
    if (!scope.tenant() && event.tenant() != null) {
      // what the rest of the tenant stores, now less
      usage.repositoriesChanged(event.tenant(), scope.tenantId());
      usage.imagesChanged(event.tenant(), scope.tenantId());
      usage.buildStoreChanged(event.tenant(), scope.tenantId());
    }
  }

  private void apply(DeletedScope scope) {
    log.info("Removing the builds, images and repositories of deleted {}", scope.path());
    // first: a build still running from here on removes its own image when it ends (the images
    // listed below are only those already in storage)
    queue.recordDeletion(scope.id());
    jdbc.sql(
            "update build set status = 'cancelled', finished_at = now(), deploy_pending = false,"
                + " reason = 'its app was deleted'"
                + " where "
                + scope.column()
                + " = ? and status in ('queued', 'running')")
        .param(scope.id())
        .update();
    images.removeAll(
        image -> scope.owns(properties.imagePrefix(), image),
        jdbc.sql("select image from build where image is not null and " + scope.column() + " = ?")
            .param(scope.id())
            .query(String.class)
            .list());
    deleteTree(scope.repositories(properties.dataDir()));
    if (scope.tenant()) {
      jdbc.sql("delete from build_egress_tenant where tenant = ?").param(scope.id()).update();
      // the tenant's registry robots stop getting tokens at once
      jdbc.sql("delete from registry_robot where tenant_id = ?").param(scope.id()).update();
      removeSandbox(scope.id());
    }
    if (!scope.column().equals("app_id")) {
      // the project's (or tenant's) namespace pull Secrets stop getting tokens at once
      jdbc.sql("delete from registry_pull_credential where " + scope.column() + " = ?")
          .param(scope.id())
          .update();
    }
    if (!scope.tenant()) {
      removeStoreImages(scope);
    }
    jdbc.sql("delete from webhook_secret where " + scope.column() + " = ?")
        .param(scope.id())
        .update();
    jdbc.sql("delete from commit_status_setting where " + scope.column() + " = ?")
        .param(scope.id())
        .update();
    // webhook deliveries, image attestations and commit statuses go with their builds (on delete
    // cascade)
    jdbc.sql("delete from build where " + scope.column() + " = ?").param(scope.id()).update();
  }

  /** A deleted app's or project's images in its tenant's own store (the build sandbox's). */
  private void removeStoreImages(DeletedScope scope) {
    try {
      sandbox.removeStoreImages(
          scope.tenantId(), image -> scope.owns(properties.imagePrefix(), image));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not remove the images of "
              + scope.path()
              + " from its tenant's build store: "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while removing a build store's images", e);
    }
  }

  private void removeSandbox(String tenantId) {
    try {
      sandbox.removeTenant(tenantId);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not remove the build sandbox of " + tenantId + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while removing a build sandbox", e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }
}
