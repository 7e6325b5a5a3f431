package io.slipway.build.kubernetes;

import io.slipway.build.queue.AppRef;
import java.time.Duration;
import java.util.UUID;

/**
 * One build to run as a Kubernetes Job, typed.
 *
 * @param buildId the build; the Job is named after it, so a second submit finds the first Job
 * @param app the app being built
 * @param sourceUrl a git URL the build pod can fetch {@code commitId} from
 * @param commitId the exact commit to build
 * @param containerfile the Containerfile's path relative to the repository root
 * @param image the name and tag to build and push, e.g. {@code registry.local/acme/web/site:1a2b}
 * @param memoryMib the memory limit of the build pod
 * @param milliCpus its CPU limit, thousandths of a core
 * @param timeout how long the whole Job may run ({@code activeDeadlineSeconds})
 */
public record BuildJob(
    UUID buildId,
    AppRef app,
    String sourceUrl,
    String commitId,
    String containerfile,
    String image,
    long memoryMib,
    long milliCpus,
    Duration timeout) {

  /** The Job's name: {@code build-<build id>}, a DNS-1123 label of 42 characters. */
  public String jobName() {
    return "build-" + buildId;
  }
}
