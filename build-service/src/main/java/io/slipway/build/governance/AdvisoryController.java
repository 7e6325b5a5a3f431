package io.slipway.build.governance;

import io.slipway.governance.advisory.ImportReport;
import io.slipway.kit.audit.AuditRecorder;
import io.slipway.kit.problem.Problem;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin's offline advisory sync: one OSV JSON file or a zip of them per call. The file is kept
 * (re-imported at every start) and, when the database changed, every stored SBOM is rescanned.
 */
@RestController
class AdvisoryController {

  private static final long MAX_UPLOAD = 512L * 1024 * 1024;

  /** What an import did. */
  record ImportView(
      int imported,
      int withdrawn,
      List<String> problems,
      String advisoryRevision,
      boolean changed,
      int advisories,
      int rescanned) {}

  private final AdvisoryFiles files;
  private final ImageAttestations attestations;
  private final AuditRecorder audit;

  AdvisoryController(AdvisoryFiles files, ImageAttestations attestations, AuditRecorder audit) {
    this.files = files;
    this.attestations = attestations;
    this.audit = audit;
  }

  @PostMapping("/api/v1/admin/advisories")
  ImportView importAdvisories(@AuthenticationPrincipal Jwt caller, @RequestBody byte[] body)
      throws IOException {
    PlatformAdmin.require(caller, "Importing advisories");
    if (body.length == 0 || body.length > MAX_UPLOAD) {
      throw Problem.malformed("send one OSV JSON file or a zip of them (at most 512 MiB)");
    }
    boolean zip = body.length > 3 && body[0] == 'P' && body[1] == 'K';
    String before = files.database().revision();
    ImportReport report = files.importUpload(body, zip);
    boolean changed = !report.revision().equals(before);
    // the advisory database is files: recorded right after the import, in this request
    audit.record(
        caller,
        null,
        "advisories.imported",
        "advisories",
        Map.of(
            "imported", report.imported(),
            "withdrawn", report.withdrawn(),
            "revision", report.revision(),
            "changed", changed));
    int rescanned = changed ? attestations.rescanStale() : 0;
    return new ImportView(
        report.imported(),
        report.withdrawn(),
        report.problems(),
        report.revision(),
        changed,
        files.database().size(),
        rescanned);
  }
}
