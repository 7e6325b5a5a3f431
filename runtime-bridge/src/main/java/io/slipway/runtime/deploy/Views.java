package io.slipway.runtime.deploy;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the API shows. */
final class Views {

  private Views() {}

  record RevisionView(
      int revision,
      String status,
      String image,
      String digest,
      int replicas,
      int port,
      int cpuMillicores,
      int memoryMib,
      String healthPath,
      Map<String, String> env,
      String buildId,
      String reason,
      Instant createdAt,
      Instant finishedAt) {
    static RevisionView of(RevisionRecord r) {
      var s = r.spec();
      return new RevisionView(
          s.revision(),
          r.status(),
          s.image(),
          s.digest(),
          s.replicas(),
          s.port(),
          s.cpuMillicores(),
          s.memoryMib(),
          s.healthPath(),
          s.env(),
          r.buildId(),
          r.reason(),
          r.createdAt(),
          r.finishedAt());
    }
  }

  record AppStatusView(
      String tenant,
      String project,
      String app,
      String url,
      Integer liveRevision,
      List<RevisionView> revisions) {}

  record ScaleRequest(@NotNull @Min(0) @Max(100) Integer replicas) {}

  record RollbackRequest(@NotNull @Min(1) Integer revision) {}
}
