package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Deployments of one app. Every call is checked with tenant-service using the caller's own token:
 * an app the caller cannot see is 404; changing it needs the developer role.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}")
class DeploymentController {

  private final Deployments deployments;
  private final AppAccess access;
  private final AppStatus status;

  DeploymentController(Deployments deployments, AppAccess access, AppStatus status) {
    this.deployments = deployments;
    this.access = access;
    this.status = status;
  }

  @PostMapping("/deployments")
  ResponseEntity<Views.RevisionView> deploy(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @Valid @RequestBody DeployRequest request,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, true);
    Deployments.Deployed deployed = deployments.deploy(ref, request);
    return ResponseEntity.status(deployed.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(Views.RevisionView.of(deployed.revision()));
  }

  @GetMapping("/deployments")
  Views.AppStatusView status(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, false);
    return this.status.of(ref);
  }

  @PostMapping("/rollback")
  ResponseEntity<Views.RevisionView> rollback(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @Valid @RequestBody Views.RollbackRequest request,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, true);
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(Views.RevisionView.of(deployments.rollback(ref, request.revision())));
  }

  @PostMapping("/scale")
  Views.RevisionView scale(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @Valid @RequestBody Views.ScaleRequest request,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, true);
    return Views.RevisionView.of(deployments.scale(ref, request.replicas()));
  }
}
