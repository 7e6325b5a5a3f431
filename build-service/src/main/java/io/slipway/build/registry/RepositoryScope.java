package io.slipway.build.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One {@code repository:<name>:<actions>} scope of a token request, as the distribution token spec
 * writes it. Only repositories and only {@code pull} and {@code push} are understood: anything else
 * ({@code registry:catalog:*}, {@code *}, {@code delete}, a name that is not a repository name) is
 * dropped, so it is never granted.
 *
 * @param name the repository, e.g. {@code <tenant id>/<project id>/<app id>}
 * @param actions a non-empty subset of {@code pull} and {@code push}
 */
record RepositoryScope(String name, Set<String> actions) {

  /** How many scopes one request may ask for; the rest are dropped. */
  static final int MAX_SCOPES = 16;

  static final Set<String> ACTIONS = Set.of("pull", "push");

  /** distribution's repository name grammar: lower-case path components, 255 characters at most. */
  private static final Pattern NAME =
      Pattern.compile(
          "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

  private static final int MAX_NAME = 255;

  RepositoryScope {
    actions = Set.copyOf(actions);
  }

  /**
   * The repository scopes in {@code requested} (each {@code scope} parameter may hold several,
   * space-separated), one per repository with the union of its actions; what is not understood is
   * left out.
   */
  static List<RepositoryScope> parse(List<String> requested) {
    Map<String, Set<String>> byName = new LinkedHashMap<>();
    int seen = 0;
    for (String parameter : requested) {
      for (String scope : parameter.split(" ")) {
        if (scope.isEmpty() || ++seen > MAX_SCOPES) {
          continue;
        }
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first < 0 || first == last || !scope.substring(0, first).equals("repository")) {
          continue;
        }
        String name = scope.substring(first + 1, last);
        if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
          continue;
        }
        Set<String> actions = new LinkedHashSet<>();
        for (String action : scope.substring(last + 1).split(",")) {
          if (ACTIONS.contains(action)) {
            actions.add(action);
          }
        }
        if (!actions.isEmpty()) {
          byName.computeIfAbsent(name, n -> new LinkedHashSet<>()).addAll(actions);
        }
      }
    }
    List<RepositoryScope> scopes = new ArrayList<>();
    byName.forEach((name, actions) -> scopes.add(new RepositoryScope(name, actions)));
    return scopes;
  }
}
