package io.slipway.portal.app;

import io.slipway.kit.client.RuntimeBridge.DeploymentsView;
import io.slipway.kit.client.RuntimeBridge.RevisionView;
import io.slipway.portal.web.Parts;

/**
 * What the app is doing, in one word for its page, from runtime-bridge's deployments view: which
 * operations make sense follows from it.
 *
 * @param state {@code not-deployed}, {@code running}, {@code stopped}, {@code deploying} or {@code
 *     failed}
 * @param live whether a revision is live (it serves unless the app is stopped)
 */
public record AppStatus(String state, String label, int replicas, boolean live) {

  static AppStatus of(DeploymentsView deployment) {
    if (deployment == null || deployment.revisions() == null || deployment.revisions().isEmpty()) {
      return new AppStatus("not-deployed", "Not deployed yet", 0, false);
    }
    RevisionView newest = deployment.revisions().get(0);
    RevisionView live = live(deployment);
    int replicas = live == null ? 0 : live.replicas();
    if (deployment.stopped()
        || (live == null && "stopped".equals(newest.status()))
        || (live != null && "stopped".equals(live.status()))) {
      return new AppStatus("stopped", "Stopped", 0, live != null);
    }
    // pending: accepted, waiting for the reconciler to take it (runtime-bridge answers 202)
    if ("deploying".equals(newest.status()) || "pending".equals(newest.status())) {
      return new AppStatus(
          "deploying", "Deploying revision " + newest.revision(), replicas, live != null);
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

  private static RevisionView live(DeploymentsView deployment) {
    Integer live = deployment.liveRevision();
    for (RevisionView r : deployment.revisions()) {
      if (live != null && r.revision() == live) {
        return r;
      }
    }
    return null;
  }
}
