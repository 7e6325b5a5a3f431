package io.slipway.build.queue;

import io.slipway.build.tenant.AppIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A build as the API shows it. {@code stages} says where its time went, in order: {@code receive}
 * (push received to queued), {@code queue} (queued to started), {@code build} (buildah) and {@code
 * image} (the image recorded, and pushed when a registry is configured); a stage not reached yet is
 * absent. {@code registryImage} is the pushed image by digest, or null. The ids are
 * tenant-service's, what the image and repository are named by; {@code sourceAppId} is the app
 * whose repository was built, the parent app for a preview's build (issue 25), else the app's own.
 * {@code deploy} says what came of a succeeded build's deploy: a push whose build succeeded and
 * whose deploy failed failed at the deploy stage. {@code fork}: a build of a pull request from a
 * fork (issue 25), built with egress off and run with no secrets.
 */
public record Build(
    UUID id,
    String tenant,
    String project,
    String app,
    String tenantId,
    String projectId,
    String appId,
    String sourceAppId,
    int number,
    String commitId,
    String ref,
    String pushedBy,
    String status,
    String reason,
    String image,
    String digest,
    String registryImage,
    Instant receivedAt,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    List<Stage> stages,
    Deploy deploy,
    boolean fork) {

  /** One timed stage of a build. */
  public record Stage(String name, long millis) {}

  /**
   * What came of a succeeded build's deploy (null for a build that did not succeed).
   *
   * @param status {@code pending} (the request is owed to runtime-bridge), {@code requested}
   *     (accepted, the outcome not reported), {@code live}, {@code failed} (rolled out, never
   *     healthy), {@code refused} (not admitted: image policy, quota), {@code superseded} (a newer
   *     build was deployed instead) or {@code skipped} (no runtime configured)
   * @param revision the app's revision made for the build, or null
   * @param url where the app answers, once live
   * @param reason why it failed, was refused or skipped
   * @param at when runtime-bridge answered
   */
  public record Deploy(String status, Integer revision, String url, String reason, Instant at) {

    /** Whether the deploy stage went wrong: the push as a whole failed. */
    public boolean failed() {
      return status.equals("failed") || status.equals("refused");
    }

    /** Whether the deploy request still waits for its answer. */
    public boolean pending() {
      return status.equals("pending");
    }
  }

  AppRef appRef() {
    return new AppRef(tenant, project, app);
  }

  /** The app's ids (builds made before apps had ids have none). */
  public AppIds ids() {
    return new AppIds(tenantId, projectId, appId);
  }

  /** The ids of the repository built: the parent app's for a preview's build. */
  public AppIds repositoryIds() {
    return new AppIds(tenantId, projectId, sourceAppId == null ? appId : sourceAppId);
  }

  /** Whether the build has ended, one way or another. */
  public boolean ended() {
    return status.equals("succeeded") || status.equals("failed") || status.equals("cancelled");
  }

  static List<Stage> stages(
      Instant receivedAt,
      Instant createdAt,
      Instant startedAt,
      Long buildMillis,
      Long imageMillis) {
    List<Stage> stages = new ArrayList<>();
    if (receivedAt != null) {
      stages.add(
          new Stage("receive", Math.max(0, Duration.between(receivedAt, createdAt).toMillis())));
    }
    if (startedAt != null) {
      stages.add(
          new Stage("queue", Math.max(0, Duration.between(createdAt, startedAt).toMillis())));
    }
    if (buildMillis != null) {
      stages.add(new Stage("build", buildMillis));
    }
    if (imageMillis != null) {
      stages.add(new Stage("image", imageMillis));
    }
    return List.copyOf(stages);
  }
}
