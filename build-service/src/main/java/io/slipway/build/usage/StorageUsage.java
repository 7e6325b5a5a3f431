package io.slipway.build.usage;

import io.slipway.build.BuildProperties;
import io.slipway.build.sandbox.BuildSandbox;
import io.slipway.build.tenant.TenantClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What a tenant keeps on this host, measured after each change and reported to tenant-service's
 * ledger under a key of its own ({@code PUT .../measured-usage/{key}}), where it is part of the
 * tenant's storage usage: its git repositories ({@value #GIT}: bytes on disk, as {@code du -sb}
 * counts them), the images its builds left in the host's containers-storage ({@value #IMAGES}: each
 * image's size as {@code podman image ls} shows it) and its build sandbox's store ({@value
 * #BUILD_STORE}: the blocks used in its file system, which holds the build cache and the images in
 * the making). Figures are whole MiB rounded up, so anything stored is never shown as 0.
 *
 * <p>Measuring and reporting run in the caller's thread, one at a time per tenant and key, and each
 * measures when its turn comes: whichever runs last sees every change before it, so the ledger ends
 * with the latest figure even when callers hand it to threads of their own (a push does). A failure
 * is logged and leaves the last figure; the next change measures again.
 */
@Component
public class StorageUsage {

  /** The key of a tenant's git repositories. */
  public static final String GIT = "git";

  /** The key of a tenant's built images in the host's store. */
  public static final String IMAGES = "images";

  /** The key of a tenant's build store (the build sandbox's images and cache). */
  public static final String BUILD_STORE = "build-store";

  private static final Logger log = LoggerFactory.getLogger(StorageUsage.class);
  private static final long MIB = 1024 * 1024;

  private final TenantClient tenants;
  private final BuildSandbox sandbox;
  private final Path dataDir;
  private final String imagePrefix;
  private final TenantImages images = new TenantImages();
  private final ConcurrentMap<String, Object> measuring = new ConcurrentHashMap<>();

  StorageUsage(TenantClient tenants, BuildSandbox sandbox, BuildProperties properties) {
    this.tenants = tenants;
    this.sandbox = sandbox;
    this.dataDir = properties.dataDir();
    this.imagePrefix = properties.imagePrefix();
  }

  /** Measures and reports the tenant's repositories: after a push, and after a deletion. */
  public void repositoriesChanged(String tenant, String tenantId) {
    report(tenant, tenantId, GIT, () -> DiskUsage.repositories(dataDir.resolve(tenantId)));
  }

  /** Measures and reports the tenant's images: after a build, and after images were removed. */
  public void imagesChanged(String tenant, String tenantId) {
    report(tenant, tenantId, IMAGES, () -> images.bytes(imagesOf(tenantId)));
  }

  /**
   * Measures and reports the images of every tenant of {@code idsByTenant} (tenant name to id) with
   * one listing of the host's store: start-up's catch-up. A build that ends while it lists reports
   * its own figure too; whichever of the two is recorded last stands until the tenant's next
   * change.
   */
  public void imagesChanged(Map<String, String> idsByTenant) {
    Map<String, Long> bytes;
    try {
      bytes = images.bytesByPrefix(idsByTenant.values().stream().map(this::imagesOf).toList());
    } catch (IOException | RuntimeException e) {
      log.warn("Could not measure the tenants' images: {}", e.toString());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    idsByTenant.forEach(
        (tenant, tenantId) ->
            report(tenant, tenantId, IMAGES, () -> bytes.getOrDefault(imagesOf(tenantId), 0L)));
  }

  /**
   * Reports the tenant's build store as a build or a deletion left it; nothing while the sandbox is
   * off or the store is not mounted (it is then unchanged since it was last measured).
   */
  public void buildStoreChanged(String tenant, String tenantId) {
    if (!sandbox.enabled()) {
      return;
    }
    synchronized (lock(tenantId, BUILD_STORE)) {
      try {
        OptionalLong used = sandbox.storeUsedMib(tenantId);
        if (used.isPresent()) {
          tenants.recordMeasured(tenant, BUILD_STORE, used.getAsLong());
        }
      } catch (IOException | RuntimeException e) {
        log.warn("Could not measure the {} of tenant {}: {}", BUILD_STORE, tenant, e.toString());
      }
    }
  }

  /** The start of every name of the tenant's built images. */
  String imagesOf(String tenantId) {
    return imagePrefix + "/" + tenantId + "/";
  }

  /** Whole MiB, rounded up: a store that holds anything is never 0. */
  static long mib(long bytes) {
    return (bytes + MIB - 1) / MIB;
  }

  private Object lock(String tenantId, String key) {
    return measuring.computeIfAbsent(tenantId + "/" + key, k -> new Object());
  }

  private interface Measure {
    long bytes() throws IOException, InterruptedException;
  }

  private void report(String tenant, String tenantId, String key, Measure measure) {
    synchronized (lock(tenantId, key)) {
      try {
        tenants.recordMeasured(tenant, key, mib(measure.bytes()));
      } catch (IOException | RuntimeException e) {
        log.warn("Could not measure the {} of tenant {}: {}", key, tenant, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
