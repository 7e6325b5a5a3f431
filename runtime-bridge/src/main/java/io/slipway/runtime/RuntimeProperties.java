package io.slipway.runtime;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * runtime-bridge's settings ({@code slipway.runtime.*}), checked at start-up.
 *
 * @param domain apps answer at {@code <app>--<project>--<tenant>.apps.<domain>}
 * @param ingressClass the Ingress class on Kubernetes
 * @param tenantApiUrl tenant-service
 * @param clientId this service's OAuth2 client
 * @param clientSecret its secret (client credentials); without it deploys are refused (503)
 * @param healthTimeout how long a new revision has to pass its health check
 * @param releaseTimeout how long a deploy's one-off command (the Procfile's {@code release},
 *     app.json's {@code predeploy} and {@code postdeploy}) may run before it is stopped and the
 *     deploy fails
 * @param runTimeout how long a one-off command a developer runs ({@code POST .../runs}) may run
 *     before it is killed and recorded as timed out
 * @param drainTime how long an old revision keeps running after the route left it, so that requests
 *     already sent to it finish
 * @param reconcileInterval how often the reconciler compares desired and observed state
 * @param cronInterval how often each replica looks for app.json cron entries that came due (a
 *     firing starts at most this late)
 * @param runRetention how long one-off and cron runs and cron firings are kept after they ended
 *     (the newest firings of each cron entry, as many as its list shows, stay whatever their age)
 * @param retentionInterval how often each replica forgets runs and firings past retention, and
 *     those of deleted apps, and removes the images of revisions past image retention
 * @param imageRetention how many of each app's newest revisions keep their images; older revisions'
 *     images are removed from the runtime's store unless the revision is live, being deployed or
 *     pinned, or a kept revision of any app runs the same image (a removed one can no longer be
 *     rolled back to); the default of a tenant that chose none
 * @param imageRetentionMax the most revisions a tenant may choose to keep the images of (a default
 *     above it raises it)
 * @param driver where apps run: {@code podman} (one machine, Caddy as router) or {@code kubernetes}
 *     (the cluster of the ambient kubeconfig or service account, Ingress as router)
 * @param secretKey the AES-256 key (base64 of 32 bytes) sealing app secrets at rest; required
 * @param previousSecretKeys keys that {@code secretKey} replaced (base64, separated by commas):
 *     secrets sealed under them still open, and the bridge re-seals them under {@code secretKey}
 *     when it starts; nothing is sealed or signed with them
 * @param portalUrl the base URL users reach the portal at: the router's page of an app that is not
 *     running links the app's page there ({@code <portal-url>/t/<tenant>/p/<project>/a/<app>})
 * @param podman the podman driver's settings
 * @param caddy the local router's settings
 * @param kubernetes the kubernetes driver's settings
 */
@Validated
@ConfigurationProperties("slipway.runtime")
public record RuntimeProperties(
    @DefaultValue("localhost") @NotBlank String domain,
    @DefaultValue("nginx") @NotBlank String ingressClass,
    @DefaultValue("http://127.0.0.1:8081") @NotNull URI tenantApiUrl,
    @DefaultValue("runtime-bridge") @NotBlank String clientId,
    @DefaultValue("") String clientSecret,
    @DefaultValue("60s") @NotNull Duration healthTimeout,
    @DefaultValue("1s") @NotNull Duration drainTime,
    @DefaultValue("10m") @NotNull Duration releaseTimeout,
    @DefaultValue("10m") @NotNull Duration runTimeout,
    @DefaultValue("10s") @NotNull Duration reconcileInterval,
    @DefaultValue("10s") @NotNull Duration cronInterval,
    @DefaultValue("14d") @NotNull Duration runRetention,
    @DefaultValue("1h") @NotNull Duration retentionInterval,
    @DefaultValue("10") @Min(1) int imageRetention,
    @DefaultValue("50") @Min(1) int imageRetentionMax,
    @DefaultValue("podman") @Pattern(regexp = "podman|kubernetes") String driver,
    @DefaultValue("") String secretKey,
    @DefaultValue("") String previousSecretKeys,
    @DefaultValue("http://127.0.0.1:8080")
        @Pattern(
            regexp = "https?://[A-Za-z0-9._~:/%+@!$&'()*,;=\\[\\]-]+",
            message = "must be a plain http(s) URL")
        String portalUrl,
    @DefaultValue @Valid Podman podman,
    @DefaultValue @Valid Caddy caddy,
    @DefaultValue @Valid Kubernetes kubernetes) {

  /** Keys and secrets never show. */
  @Override
  public String toString() {
    return ("RuntimeProperties[domain=%s, driver=%s, tenantApiUrl=%s, portalUrl=%s, clientId=%s, podman=%s,"
            + " caddy=%s, kubernetes=%s]")
        .formatted(domain, driver, tenantApiUrl, portalUrl, clientId, podman, caddy, kubernetes);
  }

  /**
   * @param namePrefix prefix of every container and network
   * @param pidsLimit process limit per container
   * @param stopTimeout grace between SIGTERM and SIGKILL
   * @param socket podman's API socket; empty: the bridge runs {@code podman system service} itself
   * @param firewall how project networks are closed
   */
  public record Podman(
      @DefaultValue("slipway-") @Pattern(regexp = "[a-z0-9][-a-z0-9]*-") String namePrefix,
      @DefaultValue("256") @Min(16) int pidsLimit,
      @DefaultValue("10s") @NotNull Duration stopTimeout,
      @DefaultValue("") @NotNull String socket,
      @DefaultValue @Valid Firewall firewall) {}

  /**
   * The nftables table that keeps apps from the host, from other projects and (unless their project
   * opts in) from the outside.
   *
   * @param enabled off only where the bridge cannot be root (rootless podman): apps then reach the
   *     host and the outside
   * @param table the {@code inet} table this bridge owns and rewrites whole; one per bridge
   * @param nft the nft program
   */
  public record Firewall(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("slipway") @Pattern(regexp = "[a-z][a-z0-9_]{0,31}") String table,
      @DefaultValue("nft") @NotBlank String nft) {}

  /**
   * @param adminSocket the unix socket of Caddy's admin API, in a directory only this service's
   *     user may enter (0700)
   * @param server the name of the HTTP server the routes live on
   * @param listen where that server listens
   */
  public record Caddy(
      @DefaultValue("/run/slipway/caddy-admin/admin.sock") @NotNull Path adminSocket,
      @DefaultValue("slipway") @NotBlank String server,
      @DefaultValue("127.0.0.1:8088") @NotBlank String listen) {}

  /**
   * @param knative whether apps that scale to zero, and functions, run as Knative Serving Services:
   *     {@code auto} (when the cluster serves {@code serving.knative.dev/v1}), {@code on} or {@code
   *     off}
   * @param kubevirtEmulation whether the cluster's KubeVirt runs guests without KVM (its {@code
   *     useEmulation}), which KubeVirt does not tell per VM: VMs' status says {@code TCG} then,
   *     else {@code KVM}
   */
  public record Kubernetes(
      @DefaultValue("auto") @Pattern(regexp = "auto|on|off", message = "must be auto, on or off")
          String knative,
      @DefaultValue("false") boolean kubevirtEmulation) {}
}
