package io.slipway.portal.app;

import io.slipway.portal.web.Parts;
import tools.jackson.databind.JsonNode;

/**
 * What the app is doing, in one word for its page, from runtime-bridge's deployments view: which
 * operations make sense follows from it.
 *
 * @param state {@code not-deployed}, {@code running}, {@code stopped}, {@code deploying} or {@code
 *     failed}
 * @param live whether a revision is live (it serves unless the app is stopped)
 */
public record AppStatus(String state, String label, int replicas, boolean live) {

  static AppStatus of(JsonNode deployment) {
    if (deployment == null || deployment.path("revisions").isEmpty()) {
      return new AppStatus("not-deployed", "Not deployed yet", 0, false);
    }
    JsonNode newest = deployment.path("revisions").get(0);
    JsonNode live = live(deployment);
    int replicas = live == null ? 0 : live.path("replicas").asInt();
    if (deployment.path("stopped").asBoolean(false)
        || (live == null && "stopped".equals(newest.path("status").asString()))
        || (live != null && "stopped".equals(live.path("status").asString()))) {
      return new AppStatus("stopped", "Stopped", 0, live != null);
    }
    if ("deploying".equals(newest.path("status").asString())) {
      return new AppStatus(
          "deploying", "Deploying revision " + newest.path("revision"), replicas, live != null);
    }
    if (live != null) {
      return new AppStatus(
          "running",
          replicas == 0
              ? "Running, scaled to zero"
              : "Running (" + Parts.count(replicas, "replica", "replicas") + ")",
          replicas,
          true);
    }
    return new AppStatus("failed", "Not running: the last deploy failed", 0, false);
  }

  public boolean running() {
    return state.equals("running") || state.equals("deploying");
  }

  /**
   * Whether a revision is live and not stopped: the app has a URL worth opening and can be stopped
   * or scaled.
   */
  public boolean serving() {
    return state.equals("running") || (state.equals("deploying") && live);
  }

  public boolean stopped() {
    return state.equals("stopped");
  }

  private static JsonNode live(JsonNode deployment) {
    int live = deployment.path("liveRevision").asInt(-1);
    for (JsonNode r : deployment.path("revisions")) {
      if (r.path("revision").asInt() == live) {
        return r;
      }
    }
    return null;
  }
}
