package io.slipway.build.queue;

/** A push to build: the app, the commit at the tip of the pushed ref, and who pushed it. */
public record BuildRequest(AppRef app, String commitId, String ref, String pushedBy) {}
