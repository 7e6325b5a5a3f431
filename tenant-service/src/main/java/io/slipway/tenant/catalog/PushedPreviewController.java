package io.slipway.tenant.catalog;

import io.slipway.kit.problem.Problem;
import io.slipway.tenant.access.Actor;
import io.slipway.tenant.access.ServiceCaller;
import io.slipway.tenant.catalog.Requests.PushedPreview;
import io.slipway.tenant.catalog.Views.PreviewView;
import io.slipway.tenant.web.DnsLabel;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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
 * by build-service, and a service credential alone cannot name a user who may not. A pull request's
 * webhook delivery has no user: build-service names the delivery ({@code webhook}) and acts by its
 * own grant, which makes and deletes nothing but {@code pr-<N>} previews of external-git apps
 * ({@link PreviewService#putForWebhook}).
 */
@RestController
@RequestMapping(
    "/api/v1/internal/tenants/{tenant}/projects/{project}/apps/{app}/previews/{preview}")
class PushedPreviewController {

  private final PreviewService previews;

  PushedPreviewController(PreviewService previews) {
    this.previews = previews;
  }

  /**
   * As {@code PUT .../apps/{app}/previews/{preview}} by the pusher, or for a pull request's webhook
   * delivery ({@link PreviewService#putForWebhook}): 201 made, 200 existing.
   */
  @PutMapping
  ResponseEntity<PreviewView> put(
      @ServiceCaller({"build-service"}) Actor service,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable @DnsLabel(max = Requests.APP_MAX) String preview,
      @Valid @RequestBody PushedPreview body) {
    PreviewService.Outcome outcome =
        body.pushedBy() != null
            ? previews.put(
                Actor.user(body.pushedBy()),
                tenant,
                project,
                app,
                preview,
                new Requests.PutPreview(null, body.branch(), body.commit()))
            : previews.putForWebhook(
                service,
                body.webhook(),
                tenant,
                project,
                app,
                preview,
                new Requests.PutPreview(body.pullRequest(), body.branch(), body.commit()),
                Boolean.TRUE.equals(body.fork()));
    return ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(outcome.preview());
  }

  /**
   * As {@code DELETE .../apps/{app}/previews/{preview}} by the pusher ({@code ?pushedBy=}) or for a
   * pull request's webhook delivery ({@code ?webhook=}, exactly one of them); 404 when absent.
   */
  @DeleteMapping
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(
      @ServiceCaller({"build-service"}) Actor service,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable String preview,
      @RequestParam(required = false) @Username String pushedBy,
      @RequestParam(required = false)
          @Size(max = Requests.WEBHOOK_MAX)
          @Pattern(regexp = Requests.WEBHOOK, message = Requests.WEBHOOK_MESSAGE)
          String webhook) {
    if ((pushedBy == null) == (webhook == null)) {
      throw Problem.badRequest(
          "invalid-request", "exactly one of the parameters pushedBy and webhook must be given");
    }
    if (pushedBy != null) {
      previews.delete(Actor.user(pushedBy), tenant, project, app, preview);
    } else {
      previews.deleteForWebhook(service, webhook, tenant, project, app, preview);
    }
  }
}
