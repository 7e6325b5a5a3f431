package io.slipway.build.hook;

import io.slipway.build.BuildProperties;
import io.slipway.build.queue.AppRef;
import io.slipway.build.tenant.AppIds;
import io.slipway.kit.audit.AuditRecorder;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An external-git app's webhook: the URL to give GitHub, GitLab or Gitea and the secret to sign
 * with. {@code GET} reads it (generating the secret on first use), {@code POST} rotates it. Like
 * the builds API, callers who may not read the tenant get 404; reading or rotating a secret also
 * needs the developer or tenant-admin role (a viewer gets 403).
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/webhook")
class WebhookSecretController {

  /** The webhook's address and secret. */
  record Webhook(String url, String secret) {}

  private final BuildProperties properties;
  private final ExternalGitApps apps;
  private final WebhookSecrets secrets;
  private final AuditRecorder audit;
  private final TransactionTemplate tx;

  WebhookSecretController(
      BuildProperties properties,
      ExternalGitApps apps,
      WebhookSecrets secrets,
      AuditRecorder audit,
      TransactionTemplate tx) {
    this.audit = audit;
    this.tx = tx;
    this.properties = properties;
    this.apps = apps;
    this.secrets = secrets;
  }

  @GetMapping
  Webhook read(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app) {
    AppRef ref = new AppRef(tenant, project, app);
    AppIds ids = authorized(caller, ref);
    // the secret (created on first read) and the audit event commit together
    return tx.execute(
        status -> {
          Webhook webhook = new Webhook(url(ref), secrets.getOrCreate(ref, ids));
          audit.record(caller, tenant, "webhook-secret.read", ref.toString(), Map.of());
          return webhook;
        });
  }

  @PostMapping
  Webhook rotate(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app) {
    AppRef ref = new AppRef(tenant, project, app);
    AppIds ids = authorized(caller, ref);
    return tx.execute(
        status -> {
          Webhook webhook = new Webhook(url(ref), secrets.rotate(ref, ids));
          audit.record(caller, tenant, "webhook-secret.rotated", ref.toString(), Map.of());
          return webhook;
        });
  }

  /** The app's ids once the caller may read and rotate its webhook secret. */
  private AppIds authorized(Jwt caller, AppRef app) {
    return apps.developerOf(caller, app, "Reading or rotating a webhook secret", "a webhook").ids();
  }

  private String url(AppRef app) {
    return properties.publicBaseUrl()
        + "/hooks/"
        + app.tenant()
        + "/"
        + app.project()
        + "/"
        + app.app();
  }
}
