package io.slipway.build.hook;

import io.slipway.build.BuildProperties;
import io.slipway.build.queue.AppRef;
import io.slipway.build.queue.Build;
import io.slipway.build.queue.BuildRequest;
import io.slipway.build.tenant.TenantClient;
import io.slipway.build.tenant.TenantClient.CatalogApp;
import io.slipway.build.tenant.TenantClient.PreviewApp;
import io.slipway.build.usage.StorageUsage;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Pull (merge) request deliveries of an external-git app, whose signature {@link WebhookReceiver}
 * has checked (issue 25): opened, reopened and new commits build the head as the preview {@code
 * pr-<N>}; closed or merged deletes it.
 *
 * <p>The head is fetched only from the app's own {@code sourceRef}, at the ref the forge keeps it
 * under there ({@link WebhookProvider#pullRequestRef}), into {@code refs/previews/pr-<N>} of the
 * app's cache (never the deploy branch), and must be exactly the delivery's head commit. The
 * delivery has no user: the preview is made by build-service's own grant as {@code <forge> webhook
 * (<sender>)}; the app's secret, which only a developer could read, authorised it. A fork's pull
 * request is ignored unless the project allows forks, and then builds with egress off and deploys
 * with no secrets.
 */
@Component
class PullRequestPreviews {

  private static final Logger log = LoggerFactory.getLogger(PullRequestPreviews.class);

  private final BuildProperties properties;
  private final TenantClient tenants;
  private final WebhookDeliveries deliveries;
  private final ExternalRepositories repositories;
  private final StorageUsage usage;

  PullRequestPreviews(
      BuildProperties properties,
      TenantClient tenants,
      WebhookDeliveries deliveries,
      ExternalRepositories repositories,
      StorageUsage usage) {
    this.properties = properties;
    this.tenants = tenants;
    this.deliveries = deliveries;
    this.repositories = repositories;
    this.usage = usage;
  }

  WebhookReceiver.Outcome receive(
      AppRef app,
      CatalogApp catalog,
      WebhookProvider provider,
      HttpHeaders headers,
      byte[] body,
      Instant receivedAt) {
    PullRequestEvent event = PullRequestEvent.parse(provider, body);
    String actor =
        provider.value() + " webhook" + (event.sender() == null ? "" : " (" + event.sender() + ")");
    return switch (event.change()) {
      case NONE -> WebhookReceiver.Outcome.ignored(event.reason());
      case DELETE -> delete(app, catalog, event, actor);
      case BUILD -> build(app, catalog, provider, event, actor, headers, body, receivedAt);
    };
  }

  private WebhookReceiver.Outcome delete(
      AppRef app, CatalogApp catalog, PullRequestEvent event, String actor) {
    boolean deleted =
        tenants.deleteWebhookPreview(app.tenant(), app.project(), app.app(), event.number(), actor);
    repositories.deleteRef(catalog.ids(), previewRef(event));
    if (!deleted) {
      return WebhookReceiver.Outcome.ignored(
          "pull request " + event.number() + " has no preview: nothing to delete");
    }
    log.info(
        "Pull request {} of {} closed: preview {} deleted", event.number(), app, event.preview());
    return new WebhookReceiver.Outcome("deleted", null, null, null, null);
  }

  private WebhookReceiver.Outcome build(
      AppRef app,
      CatalogApp catalog,
      WebhookProvider provider,
      PullRequestEvent event,
      String actor,
      HttpHeaders headers,
      byte[] body,
      Instant receivedAt) {
    if (event.fork() && !tenants.previewsAllowForks(app.tenant(), app.project())) {
      return WebhookReceiver.Outcome.ignored(
          "pull request "
              + event.number()
              + " comes from a fork: a fork's pull request gets no preview unless the project"
              + " allows forks (allowForks in its preview-settings)");
    }
    String deliveryId = provider.deliveryId(headers, body);
    Optional<Build> earlier = deliveries.find(app, deliveryId);
    if (earlier.isPresent()) {
      return outcome("duplicate", app, earlier.get());
    }
    String ref = provider.pullRequestRef(event.number());
    repositories.fetchExact(
        catalog.ids(), catalog.sourceRef(), ref, previewRef(event), event.head());
    usage.repositoriesChanged(app.tenant(), catalog.ids().tenantId());
    PreviewApp preview =
        tenants.webhookPreview(
            catalog.ids(),
            app.tenant(),
            app.project(),
            app.app(),
            actor,
            event.number(),
            event.fork(),
            event.branch() == null ? ref : event.branch(),
            event.head());
    AppRef previewApp = new AppRef(app.tenant(), app.project(), preview.app());
    WebhookDeliveries.Receipt receipt =
        deliveries.enqueueOnce(
            app,
            catalog,
            deliveryId,
            new BuildRequest(
                previewApp,
                preview.ids(),
                catalog.ids(),
                event.head(),
                ref,
                actor,
                receivedAt,
                event.fork()));
    log.info(
        "Webhook {} from {} for pull request {} of {}: build #{} of {}{}",
        deliveryId,
        provider.value(),
        event.number(),
        app,
        receipt.build().number(),
        event.head(),
        event.fork() ? " (a fork's: no egress, no secrets)" : "");
    return outcome(receipt.queued() ? "queued" : "duplicate", previewApp, receipt.build());
  }

  /** Where the pull request's head is kept in the app's cache, apart from the deploy branch. */
  private static String previewRef(PullRequestEvent event) {
    return "refs/previews/" + event.preview();
  }

  private WebhookReceiver.Outcome outcome(String status, AppRef app, Build build) {
    AppRef built = new AppRef(app.tenant(), app.project(), build.app());
    return new WebhookReceiver.Outcome(
        status,
        null,
        build.number(),
        build.commitId(),
        properties.publicBaseUrl() + built.apiPath() + "/builds/" + build.number());
  }
}
