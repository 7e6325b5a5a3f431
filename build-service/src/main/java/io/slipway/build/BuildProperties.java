package io.slipway.build;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the build-service ({@code slipway.build.*}), checked at start-up.
 *
 * @param dataDir where the hosted bare repositories live ({@code <tenant>/<project>/<app>.git})
 * @param publicUrl the base URL users reach this service at (webhook URLs, API build URLs)
 * @param portalUrl the base URL users reach the portal at; the build page printed to a pusher
 *     starts with it
 * @param tenantApiUrl tenant-service, called with this service's client-credentials token
 * @param oidcIssuer the Keycloak realm; the token endpoint is derived from it
 * @param clientId this service's OAuth2 client
 * @param clientSecret its secret (required)
 * @param deployBranch the branch whose pushes are built; it cannot be force-pushed or deleted
 * @param maxPushSize the largest pack a single push may send
 * @param workers how many builds this instance runs at once (the tenant's quota applies too)
 * @param pollInterval how often an idle worker looks for a queued build
 * @param buildTimeout how long one build may run before it is killed and failed
 * @param buildMemoryMib the memory limit of a build's RUN steps
 * @param buildMilliCpus the CPU limit of a build's RUN steps, thousandths of a core; 0: none, a
 *     build may use every core (builds running at once share them)
 * @param buildNetwork {@code none} (RUN steps have no network) or {@code private}
 * @param imagePrefix images are named {@code <imagePrefix>/<tenant>/<project>/<app>:<commit>}
 * @param runtimeBridgeUrl runtime-bridge, asked to deploy each built image; empty: not asked
 * @param externalGitSchemes the URL schemes an external-git app's clone URL may use
 * @param fetchTimeout how long fetching an external repository on a webhook may take
 * @param pushFollowLimit how long a followed push is held open to relay its build's log and its
 *     deploy's outcome; 0: never held
 * @param followPushes whether a push is followed unless sent with {@code -o no-follow} (else only
 *     when sent with {@code -o follow})
 * @param logRetention how long a build's log is kept after the build ended (those of each app's
 *     newest builds stay whatever their age)
 * @param cacheRetention how long a tenant's build store (image store and cache) is kept after a
 *     build last used it
 * @param retentionInterval how often each instance removes the logs and caches past retention
 * @param executor what builds the image of a build a worker took: {@code podman} on this host (in
 *     the tenant's sandbox) or {@code kubernetes}, a Job in {@code slipway.build.kubernetes.*}'s
 *     namespace; everything else a build does is the same with both
 */
@Validated
@ConfigurationProperties("slipway.build")
public record BuildProperties(
    @NotNull @DefaultValue("build-data") Path dataDir,
    @NotBlank @DefaultValue("http://127.0.0.1:8082") String publicUrl,
    @NotBlank
        @Pattern(regexp = "https?://[^\\s]+", message = "must be an http(s) URL")
        @DefaultValue("http://127.0.0.1:8080")
        String portalUrl,
    @NotBlank @DefaultValue("http://127.0.0.1:8081") String tenantApiUrl,
    @NotBlank @DefaultValue("http://127.0.0.1:18080/realms/slipway") String oidcIssuer,
    @NotBlank @DefaultValue("build-service") String clientId,
    @NotBlank(message = "must be set (SLIPWAY_BUILD_CLIENT_SECRET)") String clientSecret,
    @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*") @DefaultValue("main")
        String deployBranch,
    @NotNull @DefaultValue("100MB") DataSize maxPushSize,
    @Min(0) @Max(64) @DefaultValue("2") int workers,
    @NotNull @DefaultValue("500ms") Duration pollInterval,
    @NotNull @DefaultValue("10m") Duration buildTimeout,
    @Min(64) @DefaultValue("2048") long buildMemoryMib,
    @Min(0) @DefaultValue("0") long buildMilliCpus,
    @NotBlank @Pattern(regexp = "none|private") @DefaultValue("none") String buildNetwork,
    @NotBlank @Pattern(regexp = "[a-z0-9.:-]+(/[a-z0-9._-]+)*") @DefaultValue("localhost")
        String imagePrefix,
    @DefaultValue("") String runtimeBridgeUrl,
    @NotEmpty @DefaultValue("https")
        List<@Pattern(regexp = "https|http|ssh|git|file") String> externalGitSchemes,
    @NotNull @DefaultValue("60s") Duration fetchTimeout,
    @NotNull @DefaultValue("10m") Duration pushFollowLimit,
    @DefaultValue("true") boolean followPushes,
    @NotNull @DefaultValue("30d") Duration logRetention,
    @NotNull @DefaultValue("14d") Duration cacheRetention,
    @NotNull @DefaultValue("1h") Duration retentionInterval,
    @NotNull @DefaultValue("podman") Executor executor) {

  /** Where builds' images are built ({@code slipway.build.executor}). */
  public enum Executor {
    PODMAN,
    KUBERNETES
  }

  public BuildProperties {
    for (var setting :
        java.util.Map.of(
                "log-retention", logRetention,
                "cache-retention", cacheRetention,
                "retention-interval", retentionInterval)
            .entrySet()) {
      if (setting.getValue() != null
          && (setting.getValue().isNegative() || setting.getValue().isZero())) {
        throw new IllegalArgumentException(
            "slipway.build."
                + setting.getKey()
                + " must be longer than 0, was "
                + setting.getValue());
      }
    }
  }

  /** The full name of the deploy branch, e.g. {@code refs/heads/main}. */
  public String deployRef() {
    return "refs/heads/" + deployBranch;
  }

  /** Without a trailing slash. */
  public String publicBaseUrl() {
    return withoutTrailingSlash(publicUrl);
  }

  /** The portal's URL without a trailing slash. */
  public String portalBaseUrl() {
    return withoutTrailingSlash(portalUrl);
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
