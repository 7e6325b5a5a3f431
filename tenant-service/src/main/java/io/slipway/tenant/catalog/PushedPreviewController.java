package io.slipway.tenant.catalog;

import io.slipway.tenant.access.Actor;
import io.slipway.tenant.access.ServiceCaller;
import io.slipway.tenant.catalog.Requests.PushedPreview;
import io.slipway.tenant.catalog.Views.PreviewView;
import io.slipway.tenant.web.DnsLabel;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Previews made and deleted by a {@code git push} to {@code preview/<name>} (issue 25), for
 * build-service alone (anyone else: 403). The pusher's token has the {@code git} scope, which the
 * REST API does not take, so build-service calls with its own credential and names the pusher; the
 * preview is then made exactly as the pusher's own {@code PUT} would make it: the pusher must hold
 * developer in the tenant now (404 to a non-member, 403 to a viewer), is its {@code createdBy} and
 * the audit's actor. Who may make a preview therefore stays who may push, checked here as well as
 * by build-service, and a service credential alone cannot name a user who may not.
 */
@RestController
@RequestMapping(
    "/api/v1/internal/tenants/{tenant}/projects/{project}/apps/{app}/previews/{preview}")
class PushedPreviewController {

  private final PreviewService previews;

  PushedPreviewController(PreviewService previews) {
    this.previews = previews;
  }

  /** As {@code PUT .../apps/{app}/previews/{preview}} by the pusher: 201 made, 200 existing. */
  @PutMapping
  ResponseEntity<PreviewView> put(
      @ServiceCaller({"build-service"}) Actor service,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable @DnsLabel(max = Requests.APP_MAX) String preview,
      @Valid @RequestBody PushedPreview body) {
    PreviewService.Outcome outcome =
        previews.put(
            Actor.user(body.pushedBy()),
            tenant,
            project,
            app,
            preview,
            new Requests.PutPreview(null, body.branch(), body.commit()));
    return ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(outcome.preview());
  }

  /** As {@code DELETE .../apps/{app}/previews/{preview}} by the pusher; 404 when absent. */
  @DeleteMapping
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(
      @ServiceCaller({"build-service"}) Actor service,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String preview,
      @RequestParam @Username String pushedBy) {
    previews.delete(Actor.user(pushedBy), tenant, project, app, preview);
  }
}
