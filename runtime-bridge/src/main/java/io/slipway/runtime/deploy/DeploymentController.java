package io.slipway.runtime.deploy;

import io.slipway.kit.problem.Problem;
import io.slipway.runtime.model.AppRef;
import io.slipway.runtime.model.AppSpec;
import jakarta.validation.Valid;
import java.net.URI;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Deployments of one app. Every call is checked with tenant-service using the caller's own token:
 * an app the caller cannot see is 404; changing it needs the developer role. A deploy or rollback
 * is checked and recorded here (refusals are immediate problems) and answered 202 with the pending
 * revision; the {@link Reconciler}, woken at once, rolls it out. A caller that sends {@code Prefer:
 * wait=<seconds>} is answered once the rollout ended (201, or 200 for a replayed build) or 202 when
 * the wait passes first. A deploy, rollback or scale is audited with its revision's row, before any
 * container starts; a revision that then fails is a record of its own ({@link ChangeAudit}).
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}")
class DeploymentController {

  private final Deployments deployments;
  private final AppAccess access;
  private final AppStatus status;
  private final Reconciler reconciler;
  private final RolloutWait waits;
  private final DeploymentStore store;
  private final ChangeAnswers answers;
  private final RevisionPins pins;
  private final VmStore vms;

  DeploymentController(
      Deployments deployments,
      AppAccess access,
      AppStatus status,
      Reconciler reconciler,
      RolloutWait waits,
      DeploymentStore store,
      ChangeAnswers answers,
      RevisionPins pins,
      VmStore vms) {
    this.vms = vms;
    this.answers = answers;
    this.pins = pins;
    this.deployments = deployments;
    this.access = access;
    this.status = status;
    this.reconciler = reconciler;
    this.waits = waits;
    this.store = store;
  }

  @PostMapping("/deployments")
  ResponseEntity<Views.RevisionView> deploy(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @Valid @RequestBody DeployRequest request,
      @RequestHeader(name = RolloutWait.PREFER, required = false) String prefer,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, true);
    refuseVm(ref);
    Map<String, Object> details = new LinkedHashMap<>();
    if (request.env() != null && !request.env().isEmpty()) {
      // names only: values never reach the audit trail
      details.put("envSet", new TreeSet<>(request.env().keySet()));
    }
    Deployments.Deployed deployed =
        deployments.deploy(ref, request, new ChangeAudit.Intent(caller, "app.deployed", details));
    return answer(
        deployed.revision(), deployed.created() ? HttpStatus.CREATED : HttpStatus.OK, prefer);
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

  /** One revision of the app, as a deploy's {@code Location} names it. */
  @GetMapping("/deployments/{revision}")
  Views.RevisionView revision(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int revision,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, false);
    return store
        .revision(ref, revision)
        .map(Views.RevisionView::of)
        .orElseThrow(() -> Problem.notFound("Revision", ref + "/" + revision));
  }

  @PostMapping("/rollback")
  ResponseEntity<Views.RevisionView> rollback(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @Valid @RequestBody Views.RollbackRequest request,
      @RequestHeader(name = RolloutWait.PREFER, required = false) String prefer,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, true);
    // the check and the acceptance under one hold of the accept lock, which retention holds too
    RevisionRecord rolledBack =
        deployments.accepting(
            ref,
            () -> {
              pins.requireImage(ref, request.revision());
              return deployments.rollback(
                  ref,
                  request.revision(),
                  new ChangeAudit.Intent(
                      caller, "app.rolled-back", Map.of("from", request.revision())));
            });
    return answer(rolledBack, HttpStatus.CREATED, prefer);
  }

  /**
   * Promotes the app's live image, by digest and without a rebuild, to another app of the same
   * tenant (staging to production): reading this app and changing the target both need the caller's
   * roles; either one the caller cannot see is 404. The target's own image policy admits it (422
   * {@code image-refused} with the reasons), and the promotion is audited on the target.
   */
  @PostMapping("/promote")
  ResponseEntity<Views.RevisionView> promote(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @Valid @RequestBody Views.PromoteRequest request,
      @RequestHeader(name = RolloutWait.PREFER, required = false) String prefer,
      @AuthenticationPrincipal Jwt caller) {
    AppRef source = access.require(tenant, project, app, caller, false);
    AppRef target = access.require(tenant, request.project(), request.app(), caller, true);
    if (target.appId().equals(source.appId())) {
      throw Problem.invalid(
          "same-app", "An app is promoted to another app; to run an older image, roll back");
    }
    refuseVm(target);
    Deployments.Deployed promoted =
        deployments.promote(
            source, target, new ChangeAudit.Intent(caller, "app.promoted", Map.of()));
    return answer(promoted.revision(), HttpStatus.CREATED, prefer);
  }

  /**
   * Accepts a new count for a process type as the app's desired formation: refused at once beyond
   * the quota (409 {@code quota-exceeded}); else 202 with a {@code Location} to the change, or 200
   * with the live revision once the reconciler applied it within {@code Prefer: wait=<seconds>}
   * (409 {@code unhealthy} when the new instances never got healthy).
   */
  @PostMapping("/scale")
  ResponseEntity<Views.RevisionView> scale(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @Valid @RequestBody Views.ScaleRequest request,
      @RequestHeader(name = RolloutWait.PREFER, required = false) String prefer,
      @AuthenticationPrincipal Jwt caller) {
    AppRef ref = access.require(tenant, project, app, caller, true);
    Deployments.Scaled scaled =
        deployments.scale(
            ref,
            request.typeOrWeb(),
            request.replicas(),
            new ChangeAudit.Intent(caller, "app.scaled", Map.of("type", request.typeOrWeb())));
    return answers.answer(
        ref,
        AppChanges.Accepted.change(scaled.change()),
        prefer,
        ChangeAnswers.UNHEALTHY,
        () -> Views.RevisionView.of(store.revision(ref, scaled.revision()).orElseThrow()));
  }

  /**
   * The answer to an accepted revision: {@code settled} once its rollout ended (at once, or within
   * the caller's preferred wait), else 202 Accepted; the reconciler is woken for it either way.
   */
  private ResponseEntity<Views.RevisionView> answer(
      RevisionRecord accepted, HttpStatus settled, String prefer) {
    AppSpec spec = accepted.spec();
    URI location = ChangeAnswers.location(spec.ref(), "deployments", spec.revision());
    if (!accepted.settled()) {
      reconciler.wake(spec.ref());
    }
    RevisionRecord now = waits.await(accepted, RolloutWait.preferred(prefer)).orElse(accepted);
    return ResponseEntity.status(now.settled() ? settled : HttpStatus.ACCEPTED)
        .location(location)
        .body(Views.RevisionView.of(now));
  }

  /** An app that is a VM runs no image: 409 {@code app-is-vm}. */
  private void refuseVm(AppRef ref) {
    if (vms.exists(ref)) {
      throw Problem.conflict(
          "app-is-vm", "App '" + ref + "' is a VM: an image is deployed to an app of its own");
    }
  }
}
