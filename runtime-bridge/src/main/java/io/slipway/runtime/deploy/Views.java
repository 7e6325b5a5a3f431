package io.slipway.runtime.deploy;

import io.slipway.runtime.model.EnvRules;
import io.slipway.runtime.rollout.RolloutResult;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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
      Instant finishedAt,
      Instant liveAt,
      List<RolloutResult.Stage> stages) {
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
          r.finishedAt(),
          r.liveAt(),
          r.stages());
    }
  }

  record AppStatusView(
      String tenant,
      String project,
      String app,
      String url,
      Integer liveRevision,
      boolean stopped,
      List<RevisionView> revisions) {}

  /** An app's configuration as shown: secret values never leave the bridge. */
  record EnvView(Map<String, String> env, List<String> secrets) {
    static EnvView of(AppConfigStore.Config config) {
      return new EnvView(config.env(), List.copyOf(config.secrets().keySet()));
    }
  }

  /**
   * A new configuration: {@code env} replaces the environment; each secret with a value is set,
   * with null removed, and secrets not named are kept. Values are one line (they are passed to
   * podman in an env file).
   */
  record EnvRequest(
      @NotNull @Size(max = EnvRules.MAX_VARIABLES)
          Map<
                  @NotNull @Pattern(regexp = EnvRules.NAME, message = EnvRules.NAME_MESSAGE) String,
                  @NotNull @Size(max = EnvRules.MAX_VALUE)
                  @Pattern(regexp = EnvRules.VALUE, message = EnvRules.VALUE_MESSAGE) String>
              env,
      @Size(max = EnvRules.MAX_SECRETS)
          Map<
                  @NotNull @Pattern(regexp = EnvRules.NAME, message = EnvRules.NAME_MESSAGE) String,
                  @Size(max = EnvRules.MAX_SECRET_VALUE)
                  @Pattern(regexp = EnvRules.VALUE, message = EnvRules.VALUE_MESSAGE) String>
              secrets) {}

  record DomainsView(List<String> domains) {}

  record DomainRequest(@NotNull @Size(min = 1, max = 253) String domain) {}

  record EventsView(List<EventLog.Event> items) {}

  record ScaleRequest(@NotNull @Min(0) @Max(100) Integer replicas) {}

  record RollbackRequest(@NotNull @Min(1) Integer revision) {}
}
