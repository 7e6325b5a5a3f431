package io.slipway.portal.app;

import io.slipway.kit.client.AppBuilds;
import io.slipway.kit.client.AppBuilds.BuildView;
import io.slipway.kit.client.RuntimeBridge;
import io.slipway.kit.client.RuntimeBridge.DeploymentsView;
import io.slipway.kit.client.TenantService;
import io.slipway.kit.client.TenantService.Preview;
import io.slipway.kit.client.TenantViews.Page;
import io.slipway.kit.validation.AppNames;
import io.slipway.portal.web.Parts;
import io.slipway.portal.web.ServiceApis;
import io.slipway.portal.web.ServiceProblem;
import java.time.Instant;
import java.util.List;
import org.springframework.ui.Model;

/**
 * An app's previews for its page: tenant-service's list, each preview's stage from runtime-bridge
 * and its newest build from build-service, asked with the user's token. A preview those two cannot
 * tell about is still listed, its stage unknown.
 */
final class AppPreviews {

  /** How many previews the page lists: a project holds 3 unless its quota says otherwise. */
  static final int SHOWN = 20;

  /** The newest {@link #SHOWN} previews and how many there are. */
  record Listed(List<PreviewRow> rows, long total) {}

  private final TenantService catalog;
  private final RuntimeBridge runtime;
  private final AppBuilds builds;

  AppPreviews(ServiceApis apis) {
    this.catalog = apis.tenantService();
    this.runtime = apis.runtimeBridge();
    this.builds = apis.appBuilds();
  }

  /**
   * Adds the previews part to the app page's model: for an app its previews ({@code previews}, not
   * for an image's app, which has no branch to push), for a preview what it previews ({@code
   * previewName}, {@code preview}: its record, {@code parent} being the app's).
   */
  void addTo(Model model, String tenant, String project, TenantService.App app, String bearer) {
    int separator = app.name().indexOf(AppNames.SEPARATOR);
    if (app.parent() != null && separator > 0) {
      String name = app.name().substring(0, separator);
      model.addAttribute("previewName", name);
      Parts.load(
          model, "preview", () -> catalog.preview(tenant, project, app.parent(), name, bearer));
    } else if (!"image".equals(app.source())) {
      Parts.load(model, "previews", () -> list(tenant, project, app.name(), bearer));
    }
  }

  Listed list(String tenant, String project, String app, String bearer) {
    Page<Preview> page = catalog.previews(tenant, project, app, SHOWN, bearer);
    Instant now = Instant.now();
    List<PreviewRow> rows =
        page.items().stream().map(p -> row(tenant, project, p, bearer, now)).toList();
    return new Listed(rows, page.total());
  }

  private PreviewRow row(
      String tenant, String project, Preview preview, String bearer, Instant now) {
    DeploymentsView deployment = null;
    boolean known = true;
    try {
      deployment = runtime.deploymentsView(tenant, project, preview.app(), bearer);
    } catch (ServiceProblem problem) {
      // 404: runtime-bridge has nothing of it yet; anything else: it cannot say
      known = problem.status() == 404;
    }
    return PreviewRow.of(
        preview, deployment, known, newestBuild(tenant, project, preview, bearer), now);
  }

  private BuildView newestBuild(String tenant, String project, Preview preview, String bearer) {
    try {
      List<BuildView> newest = builds.builds(tenant, project, preview.app(), 1, bearer).items();
      return newest == null || newest.isEmpty() ? null : newest.get(0);
    } catch (ServiceProblem problem) {
      return null;
    }
  }
}
