package io.slipway.build.hook;

import io.slipway.build.BuildProperties;
import io.slipway.build.queue.AppRef;
import io.slipway.build.queue.Build;
import io.slipway.build.queue.BuildRequest;
import io.slipway.build.tenant.TenantClient;
import io.slipway.build.tenant.TenantClient.CatalogApp;
import io.slipway.build.usage.StorageUsage;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Turns a webhook delivery into a build: identifies the provider, verifies its signature with the
 * app's secret, reads the push, fetches the pushed branch of the external repository and queues a
 * build of exactly the pushed commit, once per delivery. Pull request deliveries go to {@link
 * PullRequestPreviews}, after the same checks.
 */
@Component
class WebhookReceiver {

  private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);

  /**
   * What became of a delivery.
   *
   * @param status {@code queued} (a new build), {@code duplicate} (a redelivery: the first build),
   *     {@code deleted} (a closed pull request's preview) or {@code ignored}
   * @param reason why it was ignored; null otherwise
   * @param build the build's number; null when ignored or deleted
   * @param commitId the commit built; null when ignored or deleted
   * @param url the build's API URL; null when ignored or deleted
   */
  record Outcome(String status, String reason, Integer build, String commitId, String url) {

    static Outcome ignored(String reason) {
      return new Outcome("ignored", reason, null, null, null);
    }
  }

  private final BuildProperties properties;
  private final TenantClient tenants;
  private final WebhookSecrets secrets;
  private final WebhookDeliveries deliveries;
  private final ExternalRepositories repositories;
  private final StorageUsage usage;
  private final PullRequestPreviews pullRequests;

  WebhookReceiver(
      BuildProperties properties,
      TenantClient tenants,
      WebhookSecrets secrets,
      WebhookDeliveries deliveries,
      ExternalRepositories repositories,
      StorageUsage usage,
      PullRequestPreviews pullRequests) {
    this.pullRequests = pullRequests;
    this.usage = usage;
    this.properties = properties;
    this.tenants = tenants;
    this.secrets = secrets;
    this.deliveries = deliveries;
    this.repositories = repositories;
  }

  Outcome receive(AppRef app, HttpHeaders headers, byte[] body) {
    Instant receivedAt = Instant.now();
    WebhookProvider provider = WebhookProvider.of(headers);
    // The signature is checked before anything else is looked up: an app that does not exist, one
    // without a secret yet and a wrong signature all get the same 401, so a delivery proves
    // nothing about which tenants, projects and apps exist.
    Optional<WebhookSecrets.Stored> stored = secrets.find(app);
    provider.verify(headers, body, stored.map(WebhookSecrets.Stored::secret));
    // a secret of an earlier app of the same names (deleted since) proves nothing about this one
    CatalogApp catalog =
        tenants
            .app(app.tenant(), app.project(), app.app())
            .filter(found -> found.ids().appId().equals(stored.orElseThrow().appId()))
            .orElseThrow(() -> provider.badSignature());
    if (!catalog.externalGit()) {
      throw ExternalGitApps.notExternalGit(
          app, catalog, ", not external-git: webhooks do not apply to it");
    }
    if (provider.pullRequest(headers)) {
      return pullRequests.receive(app, catalog, provider, headers, body, receivedAt);
    }
    Optional<String> otherEvent = provider.otherEvent(headers);
    if (otherEvent.isPresent()) {
      return Outcome.ignored("the " + otherEvent.get() + " event is not a push");
    }
    PushEvent push = PushEvent.parse(body);
    if (!push.ref().equals(properties.deployRef())) {
      return Outcome.ignored(
          "a push to "
              + push.ref()
              + " is not built: only pushes to the deploy branch "
              + properties.deployRef()
              + " are");
    }
    if (push.deleted()) {
      return Outcome.ignored("the deploy branch was deleted: nothing to build");
    }
    String deliveryId = provider.deliveryId(headers, body);
    Optional<Build> earlier = deliveries.find(app, deliveryId);
    if (earlier.isPresent()) {
      return outcome("duplicate", app, earlier.get());
    }
    repositories.fetch(catalog.ids(), catalog.sourceRef(), push.ref(), push.after());
    usage.repositoriesChanged(app.tenant(), catalog.ids().tenantId());
    String pusher =
        provider.value() + " webhook" + (push.pusher() == null ? "" : " (" + push.pusher() + ")");
    WebhookDeliveries.Receipt receipt =
        deliveries.enqueueOnce(
            app,
            catalog,
            deliveryId,
            new BuildRequest(app, catalog.ids(), push.after(), push.ref(), pusher, receivedAt));
    log.info(
        "Webhook {} from {} for {}: build #{} of {}",
        deliveryId,
        provider.value(),
        app,
        receipt.build().number(),
        push.after());
    return outcome(receipt.queued() ? "queued" : "duplicate", app, receipt.build());
  }

  private Outcome outcome(String status, AppRef app, Build build) {
    return new Outcome(
        status,
        null,
        build.number(),
        build.commitId(),
        properties.publicBaseUrl() + app.apiPath() + "/builds/" + build.number());
  }
}
