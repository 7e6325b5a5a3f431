package io.slipway.build.hook;

import io.slipway.build.queue.AppRef;
import io.slipway.build.queue.Build;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.queue.BuildRequest;
import io.slipway.build.tenant.TenantClient.CatalogApp;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deliveries already turned into builds. A delivery id is recorded in the same transaction as its
 * build, under an advisory lock on the id, so a redelivery (even a concurrent one) finds the first
 * build instead of queuing another.
 */
@Component
class WebhookDeliveries {

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final BuildQueue queue;
  private final CommitStatusOutbox statuses;

  WebhookDeliveries(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      BuildQueue queue,
      CommitStatusOutbox statuses) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.queue = queue;
    this.statuses = statuses;
  }

  /** The build an earlier delivery with this id queued, if any. */
  Optional<Build> find(AppRef app, String deliveryId) {
    return jdbc.sql(
            """
            select build_id from webhook_delivery
             where tenant = :t and project = :p and app = :a and delivery_id = :d
            """)
        .param("t", app.tenant())
        .param("p", app.project())
        .param("a", app.app())
        .param("d", deliveryId)
        .query(UUID.class)
        .optional()
        .flatMap(queue::byId);
  }

  /**
   * Queues the build of a delivery once; the second call with the same id answers the first. The
   * delivery is recorded under {@code app}, the app whose webhook received it (a pull request's
   * build is its preview's), and its commit status, when the app has it set, is owed with it.
   */
  Receipt enqueueOnce(AppRef app, CatalogApp catalog, String deliveryId, BuildRequest request) {
    return transactions.execute(
        status -> {
          jdbc.sql("select pg_advisory_xact_lock(hashtext(:key))")
              .param("key", "webhook " + app + " " + deliveryId)
              .query((rs, n) -> 0)
              .list();
          Optional<Build> earlier = find(app, deliveryId);
          if (earlier.isPresent()) {
            return new Receipt(earlier.get(), false);
          }
          Build build = queue.enqueue(request);
          jdbc.sql(
                  """
                  insert into webhook_delivery (tenant, project, app, delivery_id, build_id)
                  values (:t, :p, :a, :d, :b)
                  """)
              .param("t", app.tenant())
              .param("p", app.project())
              .param("a", app.app())
              .param("d", deliveryId)
              .param("b", build.id())
              .update();
          statuses.queued(app, catalog.ids().appId(), catalog.sourceRef(), build);
          return new Receipt(build, true);
        });
  }

  /** The build of a delivery, and whether this call queued it (false: a redelivery). */
  record Receipt(Build build, boolean queued) {}
}
