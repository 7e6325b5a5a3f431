package io.slipway.build.kubernetes;

import io.slipway.build.queue.AppRef;
import io.slipway.build.registry.BuildPushCredentials.PushLogin;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;

/**
 * One build to run as a Kubernetes Job, typed.
 *
 * @param buildId the build; the Job is named after it, so a second submit finds the first Job
 * @param app the app being built
 * @param contextUrl the build's one-time context URL ({@link BuildContexts}): a gzipped tar of
 *     {@code commitId}'s tree
 * @param commitId the exact commit built (the context is pinned to it)
 * @param containerfile the Containerfile's path relative to the repository root
 * @param image the name and tag to build and push, e.g. {@code registry.local/acme/web/site:1a2b}
 * @param pushLogin the push step's registry credential for {@code image}'s repository, or null when
 *     the registry takes anonymous pushes
 * @param registryTlsVerify whether the push checks the registry's TLS certificate ({@code false}
 *     also allows plain HTTP), as {@code slipway.build.registry.tls-verify} says
 * @param memoryMib the memory limit of the build pod
 * @param milliCpus its CPU limit, thousandths of a core
 * @param timeout how long the whole Job may run ({@code activeDeadlineSeconds})
 */
public record BuildJob(
    UUID buildId,
    AppRef app,
    URI contextUrl,
    String commitId,
    String containerfile,
    String image,
    PushLogin pushLogin,
    boolean registryTlsVerify,
    long memoryMib,
    long milliCpus,
    Duration timeout) {

  /** The Job's name: {@code build-<build id>}, a DNS-1123 label of 42 characters. */
  public String jobName() {
    return "build-" + buildId;
  }

  /** The Secret holding the push step's registry credential, deleted with the Job. */
  public String secretName() {
    return jobName() + "-registry";
  }

  /** The registry host the image is pushed to: its name's first component. */
  String registry() {
    return image.substring(0, image.indexOf('/'));
  }
}
