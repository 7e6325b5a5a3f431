package io.slipway.portal.app;

import io.slipway.kit.client.AppBuilds.BuildView;
import io.slipway.kit.client.RuntimeBridge.DeploymentsView;
import io.slipway.kit.client.RuntimeBridge.RevisionView;
import io.slipway.kit.client.TenantService.Preview;
import io.slipway.portal.web.Moment;
import java.time.Instant;

/**
 * One preview as its app's page lists it (issue 25): what tenant-service records of it, where it
 * stands in runtime-bridge, and its newest build in build-service.
 *
 * @param title {@code PR #12} for a pull request's preview, else its branch {@code preview/<name>}
 * @param commit the commit's first 7 hex digits, or empty
 * @param url where it answers through the router, only while it serves
 * @param stage in a word: {@code building}, {@code deploying}, {@code live}, {@code failed}, {@code
 *     stopped}, {@code not deployed yet}, or {@code unknown} when runtime-bridge did not answer
 * @param badge the stage's badge style, as the app page's status badge uses them
 * @param deployed when its live revision went live (never: not yet)
 * @param fork built from a fork's pull request: no network while built, no secrets while it runs
 */
public record PreviewRow(
    String name,
    String app,
    String title,
    String branch,
    String commit,
    String url,
    String stage,
    String badge,
    Moment created,
    Moment deployed,
    String createdBy,
    boolean fork) {

  private static final int SHORT_SHA = 7;

  /** A stage's word and its badge's style. */
  private record Stage(String word, String badge) {}

  private static final Stage UNKNOWN = new Stage("unknown", "stopped");
  private static final Stage BUILDING = new Stage("building", "deploying");
  private static final Stage DEPLOYING = new Stage("deploying", "deploying");
  private static final Stage FAILED = new Stage("failed", "failed");
  private static final Stage NOT_DEPLOYED = new Stage("not deployed yet", "not-deployed");

  /**
   * @param deployment runtime-bridge's view of the preview's app; null when it has none (never
   *     deployed)
   * @param deploymentKnown false when runtime-bridge did not answer
   * @param build its newest build, or null
   */
  static PreviewRow of(
      Preview preview,
      DeploymentsView deployment,
      boolean deploymentKnown,
      BuildView build,
      Instant now) {
    AppStatus status = AppStatus.of(deployment);
    Stage stage = deploymentKnown ? stage(status, build) : UNKNOWN;
    return new PreviewRow(
        preview.name(),
        preview.app(),
        preview.pullRequest() == null
            ? "preview/" + preview.name()
            : "PR #" + preview.pullRequest(),
        preview.branch() == null ? "" : preview.branch(),
        preview.commit() == null
            ? ""
            : preview.commit().substring(0, Math.min(SHORT_SHA, preview.commit().length())),
        status.serving() && deployment.url() != null ? deployment.url() : null,
        stage.word(),
        stage.badge(),
        new Moment(preview.createdAt(), now),
        new Moment(liveAt(deployment), now),
        preview.createdBy(),
        build != null && Boolean.TRUE.equals(build.fork()));
  }

  /** The stage's word and badge: a build on its way comes first, then what runs. */
  private static Stage stage(AppStatus status, BuildView build) {
    if (build != null && ("queued".equals(build.status()) || "running".equals(build.status()))) {
      return BUILDING;
    }
    return switch (status.state()) {
      case "running" -> new Stage("live", "live");
      case "deploying" -> DEPLOYING;
      case "stopped" -> new Stage("stopped", "stopped");
      case "failed" -> FAILED;
      default -> notDeployed(build);
    };
  }

  private static Stage notDeployed(BuildView build) {
    if (build == null) {
      return NOT_DEPLOYED;
    }
    BuildOutcome outcome = BuildOutcome.of(build);
    return switch (outcome.state()) {
      case "failed", "cancelled" -> FAILED;
      case "running" -> DEPLOYING;
      default -> NOT_DEPLOYED;
    };
  }

  private static Instant liveAt(DeploymentsView deployment) {
    if (deployment == null || deployment.revisions() == null) {
      return null;
    }
    for (RevisionView revision : deployment.revisions()) {
      if (deployment.liveRevision() != null && revision.revision() == deployment.liveRevision()) {
        return revision.liveAt();
      }
    }
    return null;
  }
}
