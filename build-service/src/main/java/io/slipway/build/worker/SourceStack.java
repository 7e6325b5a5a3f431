package io.slipway.build.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A way to build a repository that has no Containerfile: the stack recognises its files and
 * generates a Containerfile for it. Implementations are pure functions of their catalog entry and
 * the checked-out files; the Containerfile is written outside the context, so {@code COPY} sees
 * only the repository. Every generated image runs as uid 65534 and listens on 8080 ({@code PORT}).
 */
interface SourceStack {

  /** The port every source-built app listens on (also in its {@code PORT} variable). */
  int PORT = 8080;

  /** The unprivileged user apps run as. */
  String USER = "65534";

  /** The stack's name, e.g. {@code node}. */
  String name();

  /** Whether the stack is configured (its images named) at all. */
  boolean enabled();

  /** Whether this stack builds the checked-out repository at {@code source}. */
  boolean matches(Path source);

  /**
   * The Containerfile that builds {@code source}.
   *
   * @throws UnbuildableSourceException when the files match but cannot be built, with a reason the
   *     pusher can act on
   */
  String containerfile(Path source) throws IOException;

  /** The images the build starts from, for the build log. */
  String images();

  /** Whether any of {@code names} is a regular file at the root of {@code source}. */
  static boolean hasAny(Path source, String... names) {
    return Arrays.stream(names).anyMatch(name -> Files.isRegularFile(source.resolve(name)));
  }

  /** A repository a stack recognised but cannot build. */
  final class UnbuildableSourceException extends IOException {
    UnbuildableSourceException(String message) {
      super(message);
    }
  }
}
