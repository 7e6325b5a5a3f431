package io.slipway.build.queue;

import io.slipway.build.tenant.AppIds;
import java.time.Instant;

/**
 * A push to build: the app, the repository built ({@code source}: the app's own, or for a preview
 * the app it previews), the commit at the tip of the pushed ref, who pushed it, when the push
 * arrived (the start of the {@code receive} stage), and whether it is a fork's pull request (built
 * with egress off, run with no secrets).
 */
public record BuildRequest(
    AppRef app,
    AppIds ids,
    AppIds source,
    String commitId,
    String ref,
    String pushedBy,
    Instant receivedAt,
    boolean fork) {

  /** A build of one of the tenant's own repositories (not a fork's pull request). */
  public BuildRequest(
      AppRef app,
      AppIds ids,
      AppIds source,
      String commitId,
      String ref,
      String pushedBy,
      Instant receivedAt) {
    this(app, ids, source, commitId, ref, pushedBy, receivedAt, false);
  }

  /** A build of the app's own repository. */
  public BuildRequest(
      AppRef app, AppIds ids, String commitId, String ref, String pushedBy, Instant receivedAt) {
    this(app, ids, ids, commitId, ref, pushedBy, receivedAt);
  }

  /** A request received now. */
  public BuildRequest(AppRef app, AppIds ids, String commitId, String ref, String pushedBy) {
    this(app, ids, commitId, ref, pushedBy, Instant.now());
  }
}
