package io.slipway.build.worker;

/**
 * Asks the runtime to run a freshly built image. Synchronous and idempotent by build id: calling it
 * again for the same build must not deploy twice. A failure is reported by an exception; the build
 * itself stays succeeded (the image exists) and the failure is written to its log.
 */
public interface Deployer {

  /** What to deploy: the app, the image by name and digest, and the build that made it. */
  record Deployment(
      String tenant, String project, String app, String image, String digest, String buildId) {}

  /**
   * Requests the deployment.
   *
   * @return a line for the build log saying what happened
   */
  String deploy(Deployment deployment);
}
