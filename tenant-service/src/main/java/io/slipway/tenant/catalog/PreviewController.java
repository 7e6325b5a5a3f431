package io.slipway.tenant.catalog;

import io.slipway.tenant.access.Actor;
import io.slipway.tenant.catalog.Requests.PutPreview;
import io.slipway.tenant.catalog.Views.PreviewView;
import io.slipway.tenant.web.DnsLabel;
import io.slipway.tenant.web.PageRequests;
import io.slipway.tenant.web.PageResponse;
import jakarta.validation.Valid;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Previews of an app (issue 25), under {@code .../apps/{app}/previews}: each is also an app, named
 * {@code <preview>--<app>}, which every per-app API addresses.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/previews")
class PreviewController {

  private static final Sort NEWEST_FIRST =
      Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"));

  private final PreviewService previews;

  PreviewController(PreviewService previews) {
    this.previews = previews;
  }

  /** Creates the preview (201) or answers it as it is (200), recording what the body tells. */
  @PutMapping("/{preview}")
  ResponseEntity<PreviewView> put(
      Actor actor,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable @DnsLabel(max = Requests.APP_MAX) String preview,
      @Valid @RequestBody(required = false) PutPreview body) {
    PreviewService.Outcome outcome =
        previews.put(actor, tenant, project, app, preview, body == null ? PutPreview.NONE : body);
    return ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(outcome.preview());
  }

  @GetMapping
  PageResponse<PreviewView> list(
      Actor actor,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    return PageResponse.of(
        previews.list(actor, tenant, project, app, PageRequests.of(page, size, NEWEST_FIRST)),
        view -> view);
  }

  @GetMapping("/{preview}")
  PreviewView get(
      Actor actor,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String preview) {
    return previews.get(actor, tenant, project, app, preview);
  }

  @DeleteMapping("/{preview}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(
      Actor actor,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String preview) {
    previews.delete(actor, tenant, project, app, preview);
  }
}
