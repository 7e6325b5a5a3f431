package io.slipway.runtime.deploy;

/**
 * The build a revision was made from, as build-service's deploy request names it.
 *
 * @param id build-service's id of the build: a second request with it answers the first deployment
 * @param number the build's number within its app, or null when the request did not say
 * @param commit the commit built, or null when the request did not say
 */
record BuildOrigin(String id, Integer number, String commit) {

  /** From a deploy request; null when it names no build. */
  static BuildOrigin of(DeployRequest request) {
    return request.buildId() == null
        ? null
        : new BuildOrigin(request.buildId(), request.buildNumber(), request.commit());
  }

  /** How events name it: by number and short commit when known, else by id. */
  String describe() {
    if (number == null) {
      return "build " + id;
    }
    return "build #"
        + number
        + (commit == null ? "" : " (" + commit.substring(0, Math.min(7, commit.length())) + ")");
  }
}
