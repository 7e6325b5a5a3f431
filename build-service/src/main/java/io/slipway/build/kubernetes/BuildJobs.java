package io.slipway.build.kubernetes;

import io.slipway.build.queue.AppRef;
import io.slipway.build.queue.Build;
import io.slipway.build.registry.BuildPushCredentials;
import io.slipway.build.registry.RegistryAuthProperties;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Makes a queued build into a {@link BuildJob}: issues its one-time context URL and, when the
 * registry takes tokens, its push credential for exactly the build's repository, good for the
 * build's timeout plus the time a context URL may wait for its pod.
 */
@Component
public class BuildJobs {

  private final BuildContexts contexts;
  private final BuildPushCredentials credentials;
  private final RegistryAuthProperties registryAuth;
  private final KubernetesBuildProperties settings;
  private final boolean registryTlsVerify;

  BuildJobs(
      BuildContexts contexts,
      BuildPushCredentials credentials,
      RegistryAuthProperties registryAuth,
      KubernetesBuildProperties settings,
      @Value("${slipway.build.registry.tls-verify:true}") boolean registryTlsVerify) {
    this.contexts = contexts;
    this.credentials = credentials;
    this.registryAuth = registryAuth;
    this.settings = settings;
    this.registryTlsVerify = registryTlsVerify;
  }

  /**
   * @param image {@code <registry>/<tenant id>/<project id>/<app id>:<tag>}, the build's repository
   */
  public BuildJob of(
      Build build,
      String containerfile,
      String image,
      long memoryMib,
      long milliCpus,
      Duration timeout) {
    String repository = build.ids().path();
    String name = image.substring(0, image.lastIndexOf(':'));
    if (!name.endsWith("/" + repository)) {
      throw new IllegalArgumentException(image + " is not in the repository of " + repository);
    }
    return new BuildJob(
        build.id(),
        new AppRef(build.tenant(), build.project(), build.app()),
        contexts.issue(build.id(), build.repositoryIds(), build.commitId()),
        build.commitId(),
        containerfile,
        image,
        registryAuth.enabled()
            ? credentials.issue(build.id(), repository, timeout.plus(settings.contextLifetime()))
            : null,
        registryTlsVerify,
        memoryMib,
        milliCpus,
        timeout);
  }
}
