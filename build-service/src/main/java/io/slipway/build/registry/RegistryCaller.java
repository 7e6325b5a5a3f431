package io.slipway.build.registry;

import java.util.Set;

/** Who asked for a registry token, once their credentials were checked. */
sealed interface RegistryCaller {

  /** The token's {@code sub}. */
  String subject();

  /**
   * A tenant's robot account: {@code actions} on the repositories under its tenant's id.
   *
   * @param username {@code <tenant>+<robot>}
   * @param tenantId the immutable id its repositories are named under
   * @param actions {@code pull}, or {@code pull} and {@code push}
   */
  record Robot(String username, String tenantId, Set<String> actions) implements RegistryCaller {
    @Override
    public String subject() {
      return username;
    }
  }

  /** build-service itself: push and pull on the repository of a build running now. */
  record Platform(String username) implements RegistryCaller {
    @Override
    public String subject() {
      return username;
    }
  }

  /**
   * A build pod pushing its own image: push and pull on exactly its build's repository.
   *
   * @param username {@code job.<build id>}
   * @param repository {@code <tenant id>/<project id>/<app id>}
   */
  record BuildJob(String username, String repository) implements RegistryCaller {
    @Override
    public String subject() {
      return username;
    }
  }
}
