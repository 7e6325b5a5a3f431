package io.slipway.build.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegistryGrantsTest {

  private static final RegistryCaller READER =
      new RegistryCaller.Robot("acme+ci", "t1", Set.of("pull"));
  private static final RegistryCaller WRITER =
      new RegistryCaller.Robot("acme+ci", "t1", Set.of("pull", "push"));
  private static final RegistryCaller PLATFORM = new RegistryCaller.Platform("slipway-build");
  private static final RegistryCaller JOB = new RegistryCaller.BuildJob("job.b1", "t1/p1/a2");

  /** Only {@code t1/p1/a1} has a build running. */
  private static boolean building(String repository) {
    return repository.equals("t1/p1/a1");
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(READER, "repository:t1/p1/a1:pull,push", "t1/p1/a1=[pull]"),
        Arguments.of(WRITER, "repository:t1/p1/a1:pull,push", "t1/p1/a1=[pull, push]"),
        Arguments.of(WRITER, "repository:t1/anything:push", "t1/anything=[push]"),
        // another tenant's repositories, and a tenant id that merely starts with this one's
        Arguments.of(WRITER, "repository:t2/p1/a1:pull,push", ""),
        Arguments.of(WRITER, "repository:t10/p1/a1:pull", ""),
        Arguments.of(WRITER, "repository:t1:pull", ""),
        Arguments.of(WRITER, "registry:catalog:*", ""),
        Arguments.of(READER, "repository:t1/a:pull repository:t2/a:pull", "t1/a=[pull]"),
        Arguments.of(PLATFORM, "repository:t1/p1/a1:pull,push", "t1/p1/a1=[pull, push]"),
        Arguments.of(PLATFORM, "repository:t1/p1/a2:pull,push", ""),
        Arguments.of(PLATFORM, "repository:t1/p1/a1/x:pull", ""),
        Arguments.of(PLATFORM, "registry:catalog:*", ""),
        // a build pod's credential: its own repository, whether or not a build runs there
        Arguments.of(JOB, "repository:t1/p1/a2:pull,push", "t1/p1/a2=[pull, push]"),
        Arguments.of(JOB, "repository:t1/p1/a1:pull,push", ""),
        Arguments.of(JOB, "repository:t1/p1/a2/x:push", ""),
        Arguments.of(JOB, "repository:t2/p1/a2:push", ""),
        Arguments.of(JOB, "registry:catalog:*", ""));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void grantsWhatWasAskedAndIsAllowed(RegistryCaller caller, String scope, String granted) {
    List<String> shown =
        RegistryGrants.granted(
                caller, RepositoryScope.parse(List.of(scope)), RegistryGrantsTest::building)
            .stream()
            .map(s -> s.name() + "=" + s.actions().stream().sorted().toList())
            .toList();
    assertThat(String.join(" ", shown)).isEqualTo(granted);
  }
}
