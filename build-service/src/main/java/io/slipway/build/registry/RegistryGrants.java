package io.slipway.build.registry;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a token grants: for each requested repository, the requested actions the caller may take
 * there; a repository where it may take none is left out. Nothing says why: the registry answers
 * the missing access with its own 401, so another tenant's repository looks like any forbidden one.
 */
final class RegistryGrants {

  private RegistryGrants() {}

  /**
   * @param building whether a build of the repository (its {@code <tenant id>/<project id>/<app
   *     id>}) runs now: the platform credential may push there and nowhere else
   */
  static List<RepositoryScope> granted(
      RegistryCaller caller, List<RepositoryScope> requested, Predicate<String> building) {
    return requested.stream()
        .map(scope -> new RepositoryScope(scope.name(), allowed(caller, scope, building)))
        .filter(scope -> !scope.actions().isEmpty())
        .toList();
  }

  private static Set<String> allowed(
      RegistryCaller caller, RepositoryScope scope, Predicate<String> building) {
    Set<String> may =
        switch (caller) {
          case RegistryCaller.Robot robot ->
              scope.name().startsWith(robot.tenantId() + "/") ? robot.actions() : Set.of();
          case RegistryCaller.Platform platform ->
              scope.name().split("/").length == 3 && building.test(scope.name())
                  ? RepositoryScope.ACTIONS
                  : Set.of();
          case RegistryCaller.BuildJob job ->
              scope.name().equals(job.repository()) ? RepositoryScope.ACTIONS : Set.of();
        };
    Set<String> granted = new LinkedHashSet<>(scope.actions());
    granted.retainAll(may);
    return granted;
  }
}
