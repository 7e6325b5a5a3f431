package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import jakarta.validation.Valid;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
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
 * an app the caller cannot see is 404; changing it needs the developer role. A deploy, rollback or
 * scale is audited with its revision's row, before any container starts; a revision that then fails
 * is a record of its own ({@link ChangeAudit}).
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
    Map<String, Object> details = new LinkedHashMap<>();
    if (request.env() != null && !request.env().isEmpty()) {
      // names only: values never reach the audit trail
      details.put("envSet", new TreeSet<>(request.env().keySet()));
    }
    Deployments.Deployed deployed =
        deployments.deploy(ref, request, new ChangeAudit.Intent(caller, "app.deployed", details));
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
    RevisionRecord rolledBack =
        deployments.rollback(
            ref,
            request.revision(),
            new ChangeAudit.Intent(caller, "app.rolled-back", Map.of("from", request.revision())));
    return ResponseEntity.status(HttpStatus.CREATED).body(Views.RevisionView.of(rolledBack));
  }

  @PostMapping("/scale")
  Views.RevisionView scale(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @Valid @RequestBody Views.ScaleRequest request,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, true);
    RevisionRecord scaled =
        deployments.scale(
            ref,
            request.typeOrWeb(),
            request.replicas(),
            new ChangeAudit.Intent(caller, "app.scaled", Map.of("type", request.typeOrWeb())));
    return Views.RevisionView.of(scaled);
  }
}
