package io.slipway.build.governance;

import io.slipway.build.queue.AppRef;
import io.slipway.build.queue.Build;
import io.slipway.build.queue.BuildQueue;
import io.slipway.build.tenant.TenantClient;
import io.slipway.governance.ImageGovernance;
import io.slipway.kit.problem.Problem;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A build's SBOM and vulnerability scan, for whoever may read its builds (everyone else 404, as for
 * the builds themselves).
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/projects/{project}/apps/{app}/builds/{number}")
class GovernanceController {

  static final MediaType CYCLONEDX = MediaType.parseMediaType("application/vnd.cyclonedx+json");

  /** The scan of one built image. */
  record ScanView(
      String digest,
      String advisoryRevision,
      boolean signed,
      String keyId,
      List<FindingView> findings) {}

  private final BuildQueue queue;
  private final TenantClient tenants;
  private final AttestationStore store;
  private final ImageGovernance governance;

  GovernanceController(
      BuildQueue queue, TenantClient tenants, AttestationStore store, ImageGovernance governance) {
    this.queue = queue;
    this.tenants = tenants;
    this.store = store;
    this.governance = governance;
  }

  @GetMapping("/sbom")
  ResponseEntity<byte[]> sbom(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int number) {
    AttestationStore.Attestation a = attestation(caller, tenant, project, app, number);
    return ResponseEntity.ok()
        .contentType(CYCLONEDX)
        .header(
            "Content-Disposition",
            "attachment; filename=\"" + app + "-build-" + number + ".cdx.json\"")
        .body(a.sbom());
  }

  @GetMapping("/scan")
  ScanView scan(
      @AuthenticationPrincipal Jwt caller,
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int number) {
    AttestationStore.Attestation a = attestation(caller, tenant, project, app, number);
    boolean signed = governance.verify(a.signature()).valid();
    return new ScanView(
        a.digest(), a.advisoryRevision(), signed, a.signature().keyId(), a.findings());
  }

  private AttestationStore.Attestation attestation(
      Jwt caller, String tenant, String project, String app, int number) {
    if (!tenants.canRead(tenant, caller.getTokenValue())) {
      throw Problem.notFound("No tenant " + tenant);
    }
    Build build =
        queue
            .find(new AppRef(tenant, project, app), number)
            .orElseThrow(() -> Problem.notFound("No build " + number + " of " + app));
    return store
        .byBuild(build.id())
        .orElseThrow(
            () ->
                Problem.notFound(
                    "Build "
                        + number
                        + " of "
                        + app
                        + " has no SBOM: it has not produced an image ("
                        + build.status()
                        + ")"));
  }
}
