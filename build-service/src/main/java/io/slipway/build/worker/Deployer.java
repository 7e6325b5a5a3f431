package io.slipway.build.worker;

/**
 * Asks the runtime to run a freshly built image. Synchronous and idempotent by build id: calling it
 * again for the same build must not deploy twice, which is what lets a request whose answer was
 * lost be sent again. A failure to get an answer is reported by an exception; the build itself
 * stays succeeded (the image exists) and the failure is written to its log.
 */
public interface Deployer {

  /**
   * What to deploy: the app, the image by name and digest, and the build that made it (by id, the
   * request's idempotency key, and by the number and commit its revision is shown with); {@code
   * fork}: the build is of a fork's pull request, to run with no secrets at all.
   */
  record Deployment(
      String tenant,
      String project,
      String app,
      String image,
      String digest,
      String buildId,
      int buildNumber,
      String commit,
      boolean fork) {}

  /**
   * The runtime's answer.
   *
   * @param status {@code live} (the revision went live), {@code failed} (it was rolled out and
   *     never became healthy), {@code requested} (accepted, outcome not known yet) or {@code
   *     skipped} (no runtime is configured)
   * @param revision the app's revision made for the build, or null
   * @param url where the app answers, when live and known
   * @param reason why it failed or was skipped, in plain words
   */
  record Outcome(String status, Integer revision, String url, String reason) {

    /** The line the build's log gets. */
    public String line() {
      return switch (status) {
        case "live" ->
            (revision == null ? "the new revision" : "revision " + revision)
                + " is live"
                + (url == null ? "" : ": " + url);
        case "failed" -> "deploy failed: " + reason;
        case "skipped" -> "deploy skipped: " + reason;
        default ->
            "deploy requested from runtime-bridge"
                + (revision == null ? "" : " as revision " + revision);
      };
    }
  }

  /**
   * Requests the deployment.
   *
   * @return what the runtime answered; the request is settled
   * @throws Refused when the runtime answered that it will not deploy this build and asking again
   *     would not change its mind (image refused, quota exceeded, app gone): the request is settled
   * @throws RuntimeException for any other failure (the runtime unreachable or failing): the
   *     request is still owed and is sent again later
   */
  Outcome deploy(Deployment deployment);

  /** The runtime's final answer that it will not deploy a build; the message says why. */
  final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
      super(message);
    }
  }
}
