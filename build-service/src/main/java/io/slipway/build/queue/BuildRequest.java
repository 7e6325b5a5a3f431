package io.slipway.build.queue;

import io.slipway.build.tenant.AppIds;
import java.time.Instant;

/**
 * A push to build: the app, the commit at the tip of the pushed ref, who pushed it, and when the
 * push arrived (the start of the {@code receive} stage).
 */
public record BuildRequest(
    AppRef app, AppIds ids, String commitId, String ref, String pushedBy, Instant receivedAt) {

  /** A request received now. */
  public BuildRequest(AppRef app, AppIds ids, String commitId, String ref, String pushedBy) {
    this(app, ids, commitId, ref, pushedBy, Instant.now());
  }
}
