package io.slipway.build.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryScopeTest {

  @Test
  void readsRepositoriesAndTheirPullAndPushActions() {
    assertThat(RepositoryScope.parse(List.of("repository:t1/p1/a1:pull,push")))
        .containsExactly(new RepositoryScope("t1/p1/a1", Set.of("pull", "push")));
  }

  /** Several scopes arrive as repeated parameters or space-separated in one. */
  @Test
  void mergesTheScopesOfOneRepository() {
    assertThat(
            RepositoryScope.parse(
                List.of("repository:t1/a:pull repository:t1/b:push", "repository:t1/a:push")))
        .containsExactly(
            new RepositoryScope("t1/a", Set.of("pull", "push")),
            new RepositoryScope("t1/b", Set.of("push")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "repository:../x:pull",
        "repository:t1/../t2/a:pull",
        "repository:/t1/a:pull",
        "repository:t1/a/:pull",
        "repository:T1/a:pull",
        "repository:t1//a:pull",
        "repository:a:*",
        "repository:a:delete",
        "repository:a:",
        "repository:a",
        "repository::pull",
        "registry:catalog:*",
        "repository(plugin):a:pull",
        "Repository:a:pull",
        "",
        "pull"
      })
  void grantsNothingForWhatItDoesNotUnderstand(String scope) {
    assertThat(RepositoryScope.parse(List.of(scope))).isEmpty();
  }

  @Test
  void keepsOnlyPullAndPushOfAMixedList() {
    assertThat(RepositoryScope.parse(List.of("repository:t1/a:*,pull,delete")))
        .containsExactly(new RepositoryScope("t1/a", Set.of("pull")));
  }

  @Test
  void dropsNamesLongerThanARegistryAllows() {
    String name = "a".repeat(200) + "/" + "b".repeat(54);
    assertThat(RepositoryScope.parse(List.of("repository:" + name + ":pull"))).hasSize(1);
    assertThat(RepositoryScope.parse(List.of("repository:" + name + "b:pull"))).isEmpty();
  }

  @Test
  void readsAtMostSixteenScopesOfAHugeList() {
    List<String> huge =
        Collections.nCopies(10_000, "repository:t1/a:pull repository:t1/b:push").stream().toList();
    assertThat(RepositoryScope.parse(huge))
        .containsExactly(
            new RepositoryScope("t1/a", Set.of("pull")),
            new RepositoryScope("t1/b", Set.of("push")));
    List<String> distinct =
        IntStream.range(0, 100).mapToObj(i -> "repository:t1/r" + i + ":pull").toList();
    assertThat(RepositoryScope.parse(distinct)).hasSize(RepositoryScope.MAX_SCOPES);
  }
}
