package io.slipway.build.worker;

/**
 * Asks the runtime to run a freshly built image. Synchronous and idempotent by build id: calling it
 * again for the same build must not deploy twice, which is what lets a request whose answer was
 * lost be sent again. A failure is reported by an exception; the build itself stays succeeded (the
 * image exists) and the failure is written to its log.
 */
public interface Deployer {

  /** What to deploy: the app, the image by name and digest, and the build that made it. */
  record Deployment(
      String tenant, String project, String app, String image, String digest, String buildId) {}

  /**
   * Requests the deployment.
   *
   * @return a line for the build log saying what happened; the request is settled
   * @throws Refused when the runtime answered that it will not deploy this build and asking again
   *     would not change its mind (image refused, quota exceeded, app gone): the request is settled
   * @throws RuntimeException for any other failure (the runtime unreachable or failing): the
   *     request is still owed and is sent again later
   */
  String deploy(Deployment deployment);

  /** The runtime's final answer that it will not deploy a build; the message says why. */
  final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
      super(message);
    }
  }
}
