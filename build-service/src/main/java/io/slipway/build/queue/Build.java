package io.slipway.build.queue;

import java.time.Instant;
import java.util.UUID;

/** A build as the API shows it. */
public record Build(
    UUID id,
    String tenant,
    String project,
    String app,
    int number,
    String commitId,
    String ref,
    String pushedBy,
    String status,
    String reason,
    String image,
    String digest,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {

  AppRef appRef() {
    return new AppRef(tenant, project, app);
  }
}
