package io.slipway.build.hook;

import io.slipway.build.queue.AppRef;
import io.slipway.kit.problem.Problem;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where GitHub, GitLab, Gitea and generic senders deliver pushes: {@code POST
 * /hooks/{tenant}/{project}/{app}}. Authenticated by the delivery's signature alone (no token): 202
 * {@code queued} or {@code ignored}, 200 {@code duplicate}; 401 bad or missing signature, 404
 * unknown app, 400 malformed body, 422 not an external-git app or commit not found.
 */
@RestController
class WebhookController {

  private static final int MAX_BODY = 1024 * 1024;

  private final WebhookReceiver receiver;

  WebhookController(WebhookReceiver receiver) {
    this.receiver = receiver;
  }

  @PostMapping(
      path = "/hooks/{tenant}/{project}/{app}",
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<WebhookReceiver.Outcome> deliver(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      // the forge's own headers (event, delivery id, signature or token), read by WebhookProvider
      // and documented in build-service.md; not one parameter named "headers" of the API
      @Parameter(hidden = true) @RequestHeader HttpHeaders headers,
      @RequestBody(required = false) byte[] body) {
    if (body == null || body.length == 0) {
      throw Problem.malformed("The delivery has no body");
    }
    if (body.length > MAX_BODY) {
      throw Problem.malformed("The delivery is larger than 1 MiB");
    }
    WebhookReceiver.Outcome outcome =
        receiver.receive(new AppRef(tenant, project, app), headers, body);
    HttpStatus status = outcome.status().equals("duplicate") ? HttpStatus.OK : HttpStatus.ACCEPTED;
    return ResponseEntity.status(status).body(outcome);
  }
}
