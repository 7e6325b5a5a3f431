package io.slipway.build.hook;

import io.slipway.build.queue.AppRef;
import io.slipway.build.tenant.TenantClient.CatalogApp;
import io.slipway.kit.audit.AuditRecorder;
import io.slipway.kit.problem.Problem;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * An external-git app's commit status (issue 25): {@code PUT} sets the forge, its API URL and a
 * token, {@code GET} shows them with the last delivery but never the token, {@code DELETE} turns it
 * off. Unset, nothing is ever posted. The same callers as for the webhook secret ({@link
 * ExternalGitApps}); every change is audited, without the token.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/commit-status")
class CommitStatusController {

  static final int MAX_TOKEN = 1000;
  private static final String ACTION = "Reading or changing commit status";
  private static final String FEATURE = "commit status";

  /** What a developer sets. */
  record Setting(String forge, String apiUrl, String token) {}

  /** What is shown: never the token, only that one is set. */
  record View(
      String forge,
      String apiUrl,
      boolean tokenSet,
      CommitStatusSettings.LastDelivery lastDelivery) {}

  private final ExternalGitApps apps;
  private final CommitStatusSettings settings;
  private final ForgeTokens tokens;
  private final ForgeUrl urls;
  private final AuditRecorder audit;
  private final TransactionTemplate tx;

  CommitStatusController(
      ExternalGitApps apps,
      CommitStatusSettings settings,
      ForgeTokens tokens,
      ForgeUrl urls,
      AuditRecorder audit,
      TransactionTemplate tx) {
    this.apps = apps;
    this.settings = settings;
    this.tokens = tokens;
    this.urls = urls;
    this.audit = audit;
    this.tx = tx;
  }

  @GetMapping
  View read(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app) {
    AppRef ref = new AppRef(tenant, project, app);
    CatalogApp catalog = apps.developerOf(caller, ref, ACTION, FEATURE);
    return view(ref, catalog);
  }

  @PutMapping
  View set(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestBody Setting setting) {
    AppRef ref = new AppRef(tenant, project, app);
    CatalogApp catalog = apps.developerOf(caller, ref, ACTION, FEATURE);
    Forge forge = Forge.of(setting.forge());
    URI apiUrl = urls.parse(setting.apiUrl());
    checkToken(setting.token());
    try {
      forge.target(catalog.sourceRef());
    } catch (IllegalArgumentException e) {
      throw Problem.invalid(
          "unsupported-source-ref",
          "Commit status cannot be posted for " + ref + ": " + e.getMessage());
    }
    String sealed = tokens.seal(setting.token(), catalog.ids().appId());
    tx.executeWithoutResult(
        status -> {
          settings.put(ref, catalog.ids(), forge, apiUrl.toString(), sealed);
          audit.record(
              caller,
              tenant,
              "commit-status.set",
              ref.toString(),
              Map.of("forge", forge.value(), "apiUrl", apiUrl.toString()));
        });
    return view(ref, catalog);
  }

  @DeleteMapping
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app) {
    AppRef ref = new AppRef(tenant, project, app);
    apps.developerOf(caller, ref, ACTION, FEATURE);
    tx.executeWithoutResult(
        status -> {
          if (settings.delete(ref)) {
            audit.record(caller, tenant, "commit-status.deleted", ref.toString(), Map.of());
          }
        });
  }

  private View view(AppRef ref, CatalogApp catalog) {
    return settings
        .find(ref, catalog.ids().appId())
        .map(s -> new View(s.forge().value(), s.apiUrl(), true, s.lastDelivery()))
        .orElse(new View(null, null, false, null));
  }

  /** A token goes into a request header: printable ASCII without spaces, bounded. */
  private static void checkToken(String token) {
    if (token == null || token.isEmpty()) {
      throw Problem.badRequest("bad-token", "token is required: the forge's access token");
    }
    if (token.length() > MAX_TOKEN || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw Problem.badRequest(
          "bad-token",
          "token must be at most "
              + MAX_TOKEN
              + " printable ASCII characters without spaces, as forges issue them");
    }
  }
}
