package io.slipway.runtime.deploy;

import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.tenant.AuditEvents;
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
 * scale starts containers before it commits its outcome, so it is audited right after, in the same
 * request (see {@link AppController}).
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}")
class DeploymentController {

  private final Deployments deployments;
  private final AppAccess access;
  private final AppStatus status;
  private final AuditEvents audit;

  DeploymentController(
      Deployments deployments, AppAccess access, AppStatus status, AuditEvents audit) {
    this.deployments = deployments;
    this.access = access;
    this.status = status;
    this.audit = audit;
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
    if (deployed.created()) {
      audit.app(caller, ref, "app.deployed", revision(deployed.revision(), request.env()));
    }
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
    RevisionRecord rolledBack = deployments.rollback(ref, request.revision());
    Map<String, Object> details = revision(rolledBack, null);
    details.put("from", request.revision());
    audit.app(caller, ref, "app.rolled-back", details);
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
    RevisionRecord scaled = deployments.scale(ref, request.replicas());
    audit.app(caller, ref, "app.scaled", revision(scaled, null));
    return Views.RevisionView.of(scaled);
  }

  /** What the audit trail keeps of a revision: never an environment value. */
  private static Map<String, Object> revision(RevisionRecord revision, Map<String, String> env) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("revision", revision.spec().revision());
    details.put("image", revision.spec().image());
    details.put("replicas", revision.spec().replicas());
    details.put("status", revision.status());
    if (revision.buildId() != null) {
      details.put("buildId", revision.buildId());
    }
    if (env != null && !env.isEmpty()) {
      details.put("envSet", new TreeSet<>(env.keySet()));
    }
    return details;
  }
}
