package io.slipway.kit.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/**
 * build-service's builds of one app, as the portal calls them with the signed-in user's token: the
 * build list, a build with its stages and deploy, cancelling it, its log as Server-Sent Events, its
 * image's scan and SBOM, and an external-git app's webhook. Made by {@link ServiceClients#create}.
 *
 * <p>Apart from {@link BuildService} so that services' stand-ins of that one (runtime-bridge's
 * admission tests) need not implement calls they never make.
 */
@HttpExchange(
    url = "/api/v1/tenants/{tenant}/projects/{project}/apps/{app}",
    accept = "application/json")
public interface AppBuilds {

  /** One timed stage of a build. */
  record BuildStage(String name, long millis) {}

  /**
   * What came of a succeeded build's deploy.
   *
   * @param status {@code pending}, {@code requested}, {@code live}, {@code failed}, {@code
   *     refused}, {@code superseded} or {@code skipped}
   * @param revision the app's revision made for the build, or null
   * @param url where the app answers, once live
   * @param reason why it failed, was refused or skipped
   */
  record BuildDeploy(String status, Integer revision, String url, String reason, Instant at) {}

  /**
   * A build of an app as build-service shows it.
   *
   * @param status {@code queued}, {@code running}, {@code succeeded}, {@code failed} or {@code
   *     cancelled}
   * @param reason why it failed (its first line, then the log's last lines), or null
   * @param deploy what came of its deploy; null for a build that did not succeed
   * @param fork a build of a pull request from a fork (issue 25): built with egress off, run with
   *     no secrets; null from a build-service that does not say
   */
  record BuildView(
      int number,
      String commitId,
      String ref,
      String pushedBy,
      String status,
      String reason,
      String image,
      String digest,
      Instant receivedAt,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt,
      List<BuildStage> stages,
      BuildDeploy deploy,
      Boolean fork) {}

  /** A page of an app's builds, newest first. */
  record BuildPage(List<BuildView> items, int page, int size, long total) {}

  /**
   * One vulnerability finding of a built image.
   *
   * @param packageName the affected package ({@code package} in JSON)
   * @param severity {@code LOW} to {@code CRITICAL}, or {@code UNKNOWN}
   * @param fixedVersion the first fixed version above the installed one, or null
   */
  record Finding(
      String advisoryId,
      List<String> aliases,
      @JsonProperty("package") String packageName,
      String version,
      String ecosystem,
      String severity,
      String fixedVersion,
      String summary) {}

  /** The vulnerability scan of a build's image and whether the platform's signature verifies. */
  record Scan(
      String digest,
      String advisoryRevision,
      boolean signed,
      String keyId,
      List<Finding> findings) {}

  /** An external-git app's webhook: where its git host posts, and the secret that signs it. */
  record Webhook(String url, String secret) {}

  /**
   * An external-git app's commit status: the forge and API URL it is posted to, whether a token is
   * set (the token itself is never answered), and how the last delivery went; all null and {@code
   * tokenSet} false when it is off.
   */
  record CommitStatus(String forge, String apiUrl, boolean tokenSet, LastDelivery lastDelivery) {

    /** The last status posted: when, which state, and the forge's answer or why it failed. */
    public record LastDelivery(Instant at, String state, String outcome) {}
  }

  /** The newest {@code size} builds of an app. */
  @GetExchange("/builds")
  BuildPage builds(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestParam int size,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  @GetExchange("/builds/{number}")
  BuildView build(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int number,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** Cancels a queued or running build; 409 when it had already ended. */
  @PostExchange("/builds/{number}/cancel")
  BuildView cancelBuild(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int number,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** The scan of a succeeded build's image. */
  @GetExchange("/builds/{number}/scan")
  Scan scan(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int number,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** The image's CycloneDX SBOM, as build-service keeps it. */
  @GetExchange(
      url = "/builds/{number}/sbom",
      accept = {"application/vnd.cyclonedx+json", "application/json"})
  byte[] sbom(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int number,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /**
   * The build's log as Server-Sent Events ({@code log} lines from the start, then {@code end} with
   * the status), as a stream the caller reads and closes. Call it on a client with no read timeout:
   * a running build's log is open as long as the build runs.
   */
  @GetExchange(url = "/builds/{number}/logs", accept = "text/event-stream")
  InputStream buildLog(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @PathVariable int number,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** An external-git app's webhook and its secret (reading it is audited). */
  @GetExchange("/webhook")
  Webhook webhook(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);

  /** An external-git app's commit status setting, never its token. */
  @GetExchange("/commit-status")
  CommitStatus commitStatus(
      @PathVariable String tenant,
      @PathVariable String project,
      @PathVariable String app,
      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization);
}
