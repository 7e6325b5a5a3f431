package io.slipway.portal.project;

import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantViews.PreviewSettingsChange;
import io.slipway.kit.client.TenantViews.PreviewSettingsView;
import io.slipway.kit.validation.PreviewTtls;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.util.Set;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The project page's preview settings form (issue 25): a tenant-admin sets the TTL, what a preview
 * over the quota does, and whether forks' pull requests get previews. What was typed is checked by
 * the rule tenant-service applies ({@link PreviewTtls}) and, when wrong, comes back beside its
 * field with what was typed kept. tenant-service decides who may: anyone else's post is its 403
 * (another tenant's, its 404), shown as the error page.
 */
@Controller
class PreviewSettingsController {

  static final String PATH =
      "/t/{tenant:[a-z0-9-]{1,20}}/p/{project:[a-z0-9-]{1,20}}/preview-settings";

  private static final Set<String> POLICIES = Set.of("refuse", "replace-oldest");

  /** What kept of a typed TTL goes back to the form: more than a TTL ever needs. */
  private static final int KEPT_MAX = 64;

  /** The form as it was posted, shown again when it is refused. */
  record Typed(String previewTtl, String previewPolicy, boolean allowForks) {}

  private final TenantService tenants;
  private final ServiceApis apis;

  PreviewSettingsController(ServiceApis apis) {
    this.tenants = apis.tenantService();
    this.apis = apis;
  }

  @PostMapping(PATH)
  String save(
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestParam(defaultValue = "") String previewTtl,
      @RequestParam(defaultValue = "refuse") String previewPolicy,
      @RequestParam(defaultValue = "false") boolean allowForks,
      RedirectAttributes redirect) {
    String page = "/t/" + tenant + "/p/" + project + "#previews";
    String ttl = previewTtl.strip();
    Typed typed =
        new Typed(
            ttl.length() > KEPT_MAX ? ttl.substring(0, KEPT_MAX) : ttl, previewPolicy, allowForks);
    if (!ttl.isEmpty() && PreviewTtls.parse(ttl) == null) {
      return refused(redirect, page, typed, "previewTtlError", ttlRule(typed.previewTtl()));
    }
    if (!POLICIES.contains(previewPolicy)) {
      return refused(
          redirect,
          page,
          new Typed(typed.previewTtl(), "refuse", allowForks),
          "previewSettingsError",
          "Choose what a new preview does when the quota is full: refuse it or replace the oldest.");
    }
    PreviewSettingsView saved;
    try {
      saved =
          tenants.putPreviewSettings(
              tenant,
              project,
              new PreviewSettingsChange(ttl.isEmpty() ? null : ttl, previewPolicy, allowForks),
              apis.bearer());
    } catch (ServiceProblem problem) {
      if (problem.status() == 403 || problem.status() == 404) {
        throw problem;
      }
      boolean aboutTtl = problem.status() == 400 && problem.getMessage().contains("previewTtl");
      return refused(
          redirect,
          page,
          typed,
          aboutTtl ? "previewTtlError" : "previewSettingsError",
          "The preview settings were not saved: " + problem.getMessage());
    }
    redirect.addFlashAttribute("notice", saved(saved));
    return "redirect:" + page;
  }

  static String ttlRule(String typed) {
    return "The TTL must be "
        + PreviewTtls.RULE
        + ", or empty for the platform's default; "
        + typed
        + " is not.";
  }

  private static String refused(
      RedirectAttributes redirect, String page, Typed typed, String field, String message) {
    redirect.addFlashAttribute(field, message);
    redirect.addFlashAttribute("previewTyped", typed);
    return "redirect:" + page;
  }

  /** What the saved settings mean, in a sentence. */
  private static String saved(PreviewSettingsView view) {
    return "Preview settings saved: a preview without a push for "
        + view.previewTtl()
        + (view.previewTtlDefault() ? " (the platform's default)" : "")
        + " is deleted; over the quota "
        + ("replace-oldest".equals(view.previewPolicy())
            ? "the oldest preview is deleted to make room"
            : "a new preview is refused")
        + "; pull requests from forks "
        + (view.allowForks()
            ? "get previews, built with no network and run with no secrets."
            : "get none.");
  }
}
