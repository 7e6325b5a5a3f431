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
 * tenant-service's, what the image and repository are named by.
 */
public record Build(
    UUID id,
    String tenant,
    String project,
    String app,
    String tenantId,
    String projectId,
    String appId,
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
    List<Stage> stages) {

  /** One timed stage of a build. */
  public record Stage(String name, long millis) {}

  AppRef appRef() {
    return new AppRef(tenant, project, app);
  }

  /** The app's ids (builds made before apps had ids have none). */
  public AppIds ids() {
    return new AppIds(tenantId, projectId, appId);
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
