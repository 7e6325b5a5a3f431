package io.slipway.runtime.router;

/**
 * Why an app's hosts answer the router's 503 page instead of its instances. Each names what a
 * visitor sees, in words that say nothing about the app but its state; the transient ones ask the
 * client to come back ({@code Retry-After}).
 */
public enum Parked {
  /** The app exists but no revision of it was ever deployed. */
  NOT_DEPLOYED(
      "App not deployed yet",
      "This app has not been deployed yet.",
      "It answers here once its first deploy is live.",
      false),
  /** Its deploy (or start) is under way and no revision serves yet. */
  STARTING(
      "App starting",
      "This app is starting.",
      "Its deploy is under way: it answers here as soon as it passes its health check. Try again"
          + " in a few seconds.",
      true),
  /** Its last deploy failed and no revision of it runs. */
  FAILED(
      "App failed to start",
      "This app failed to start.",
      "Its last deploy failed and no earlier version of it is running.",
      false),
  /** It has a live revision, but every instance of it exited; they are being started again. */
  CRASHED(
      "App crashed",
      "This app has crashed.",
      "Every instance of it exited; it is being started again. Try again in a moment.",
      true),
  /** Its owner stopped it. */
  STOPPED(
      "App stopped", "This app is stopped.", "It answers here again once it is started.", false),
  /**
   * It is a VM whose guest is booting: its HTTP port is routed once the guest says it is ready, so
   * that a request never waits on a guest whose network is not up yet.
   */
  BOOTING(
      "App starting",
      "This app is starting.",
      "Its virtual machine is booting: it answers here as soon as it is up. Try again in a few"
          + " seconds.",
      true),
  /** It is a VM that names no HTTP port: nothing of it is for the router to serve. */
  NO_HTTP_PORT(
      "App serves no web pages",
      "This app serves no web pages.",
      "It is a virtual machine that exposes no HTTP port.",
      false),
  /** It is scaled to zero instances. */
  SCALED_TO_ZERO(
      "App scaled to zero",
      "This app runs no instances.",
      "It is scaled to zero and answers here again once it is scaled up.",
      false);

  private final String title;
  private final String headline;
  private final String detail;
  private final boolean transient_;

  Parked(String title, String headline, String detail, boolean transient_) {
    this.title = title;
    this.headline = headline;
    this.detail = detail;
    this.transient_ = transient_;
  }

  String title() {
    return title;
  }

  String headline() {
    return headline;
  }

  String detail() {
    return detail;
  }

  /** Whether it is expected to pass by itself, so a client is told when to ask again. */
  public boolean isTransient() {
    return transient_;
  }
}
