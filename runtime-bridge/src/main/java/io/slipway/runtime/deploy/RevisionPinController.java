package io.slipway.runtime.deploy;

import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Pins and unpins an app's revisions ({@link RevisionPins}): a pinned revision's image is kept by
 * retention whatever its age, so it can always be rolled back to. Needs the developer role; an app
 * the caller cannot see is 404. Both answer the revision as it is then.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/deployments/{revision}/pin")
class RevisionPinController {

  private final AppAccess access;
  private final RevisionPins pins;

  RevisionPinController(AppAccess access, RevisionPins pins) {
    this.access = access;
    this.pins = pins;
  }

  @PostMapping
  Views.RevisionView pin(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int revision,
      @AuthenticationPrincipal Jwt caller) {
    return change(tenant, project, app, revision, caller, true, "app.revision-pinned");
  }

  @DeleteMapping
  Views.RevisionView unpin(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int revision,
      @AuthenticationPrincipal Jwt caller) {
    return change(tenant, project, app, revision, caller, false, "app.revision-unpinned");
  }

  private Views.RevisionView change(
      String tenant,
      String project,
      String app,
      int revision,
      Jwt caller,
      boolean pinned,
      String action) {
    var ref = access.require(tenant, project, app, caller, true);
    return Views.RevisionView.of(
        pins.pin(ref, revision, pinned, new ChangeAudit.Intent(caller, action, Map.of())));
  }
}
