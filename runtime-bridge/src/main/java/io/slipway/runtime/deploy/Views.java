package io.slipway.runtime.deploy;

import io.slipway.runtime.model.EnvRules;
import io.slipway.runtime.model.ProcessSpec;
import io.slipway.runtime.model.ProcessTypes;
import io.slipway.runtime.rollout.RolloutResult;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** What the API shows. */
final class Views {

  private Views() {}

  /**
   * An accepted deletion of an app: {@code deleting} while the reconciler has not carried it out.
   */
  record DeletionView(String status) {}

  /**
   * A scale, stop or start of an app as its {@code Location} names it: {@code pending}, {@code
   * applied} or {@code failed} (with the reason).
   */
  record ChangeView(int change, String status, String reason) {
    static ChangeView of(AppChangeStore.State state) {
      return new ChangeView(state.change(), state.status(), state.reason());
    }
  }

  /**
   * A revision as the API shows it; {@code pinned}: retention keeps its image whatever its age;
   * {@code imageRemoved}: retention removed its image, so it can no longer be rolled back to.
   */
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
      Integer buildNumber,
      String commit,
      String reason,
      Instant createdAt,
      Instant finishedAt,
      Instant liveAt,
      List<RolloutResult.Stage> stages,
      Map<String, ProcessSpec> processes,
      boolean pinned,
      boolean imageRemoved) {
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
          r.buildNumber(),
          r.commit(),
          r.reason(),
          r.createdAt(),
          r.finishedAt(),
          r.liveAt(),
          r.stages(),
          s.processes(),
          r.pinned(),
          r.imageRemoved());
    }
  }

  record AppStatusView(
      String tenant,
      String project,
      String app,
      String url,
      Integer liveRevision,
      boolean stopped,
      List<ProcessView> processes,
      List<RevisionView> revisions) {}

  /**
   * One process type of the live revision as it runs: {@code web} first (the image's own command,
   * {@code command} null), then the others by name; {@code running} is how many instances the
   * runtime runs now (null when it could not be asked).
   */
  record ProcessView(String type, String command, int count, Integer running) {}

  /**
   * An app's configuration as shown: secret values never leave the bridge. {@code previewSecrets}
   * names the secrets marked {@code preview: true}, the only ones its previews get (issue 25).
   */
  record EnvView(Map<String, String> env, List<String> secrets, List<String> previewSecrets) {
    static EnvView of(AppConfigStore.Config config, Collection<String> previewSecrets) {
      return new EnvView(
          config.env(), List.copyOf(config.secrets().keySet()), List.copyOf(previewSecrets));
    }
  }

  /** Whether previews of the app get one of its secrets: {@code PUT .../secrets/{name}}. */
  record SecretRequest(@NotNull Boolean preview) {}

  /** A secret's name and whether the app's previews get it; never its value. */
  record SecretView(String name, boolean preview) {}

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

  record DomainsView(List<DomainView> domains) {}

  /**
   * A custom domain of the app: {@code pending} (not routed) until its proof passes, then {@code
   * verified} (routed). While pending, either proof will do: {@code httpUrl} answering {@code
   * token} (the router serves it once the domain's DNS points at the platform), or a TXT record
   * {@code txtName} whose value is {@code token}. {@code failure} says why the last check failed.
   */
  record DomainView(
      String domain,
      String state,
      String token,
      String httpUrl,
      String txtName,
      String failure,
      java.time.Instant checkedAt,
      java.time.Instant verifiedAt) {

    static DomainView of(AppConfigStore.DomainClaim claim) {
      io.slipway.runtime.domain.Challenge challenge =
          new io.slipway.runtime.domain.Challenge(claim.domain(), claim.token());
      return new DomainView(
          claim.domain(),
          claim.verified() ? "verified" : "pending",
          claim.token(),
          challenge.url(),
          challenge.txtName(),
          claim.failure(),
          claim.checkedAt(),
          claim.verifiedAt());
    }

    static List<DomainView> of(List<AppConfigStore.DomainClaim> claims) {
      return claims.stream().map(DomainView::of).toList();
    }
  }

  record DomainRequest(@NotNull @Size(min = 1, max = 253) String domain) {}

  record EventsView(List<EventLog.Event> items) {}

  /** A new count for one process type; without {@code type}, for {@code web}. */
  record ScaleRequest(
      @NotNull @Min(0) @Max(100) Integer replicas,
      @Pattern(regexp = ProcessTypes.NAME, message = "must be 1 to 63 letters, digits, '_' or '-'")
          String type) {

    String typeOrWeb() {
      return type == null ? ProcessTypes.WEB : type;
    }
  }

  record RollbackRequest(@NotNull @Min(1) Integer revision) {}

  /**
   * Where to promote an app's live image: an app of another project of the same tenant (a name that
   * is no app the caller may change is 404, as for any app).
   */
  record PromoteRequest(@NotBlank String project, @NotBlank String app) {}
}
