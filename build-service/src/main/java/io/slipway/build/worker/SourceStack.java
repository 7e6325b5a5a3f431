package io.slipway.build.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A way to build a repository that has no Containerfile: the stack recognises its files and
 * generates a Containerfile for it. Implementations are pure functions of their catalog entry and
 * the checked-out files; the Containerfile is written outside the context, so {@code COPY} sees
 * only the repository. Every generated image runs as uid 65534 and listens on 8080 ({@code PORT}).
 * A Procfile's {@code web} command, when the repository has one, replaces the stack's own start
 * command ({@link #startCommand(String)}).
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
   * The Containerfile that builds {@code source}, started with the stack's own command.
   *
   * @throws UnbuildableSourceException when the files match but cannot be built, with a reason the
   *     pusher can act on
   */
  default String containerfile(Path source) throws IOException {
    return containerfile(source, Optional.empty());
  }

  /**
   * The Containerfile that builds {@code source}; when {@code web} is present (a Procfile's {@code
   * web} command), the image starts with it ({@link #startCommand(String)}) instead of the stack's
   * own, and the files the stack's own command would need (an entry point) are not looked for.
   *
   * @throws UnbuildableSourceException when the files match but cannot be built, with a reason the
   *     pusher can act on
   */
  String containerfile(Path source, Optional<String> web) throws IOException;

  /**
   * Whether the image runs a Procfile's {@code web} command; a stack whose base image brings its
   * own server (static files) does not.
   */
  default boolean runsProcfile() {
    return true;
  }

  /** What serves the image of a stack that does not run a Procfile, for the build log. */
  default String server() {
    return "serves the files with its base image's own server";
  }

  /**
   * What the build log should say of {@code source} before the build starts, besides the stack's
   * name and images: files of the repository the stack leaves unused, and why. None by default.
   */
  default List<String> notes(Path source) throws IOException {
    return List.of();
  }

  /** The images the build starts from, for the build log. */
  String images();

  /**
   * The {@code CMD} that starts the image with a Procfile's command: {@code /bin/sh -c <command>},
   * so the shell in the container expands {@code $PORT} and skips an inline comment, as Heroku's
   * does. The command is a JSON string in exec form, every character outside printable ASCII
   * escaped: buildah reads it as one argument and expands nothing in a {@code CMD}, and a
   * Containerfile line that is not valid JSON (which buildah would take as shell form) cannot come
   * out of it.
   */
  static String startCommand(String command) {
    StringBuilder json = new StringBuilder("CMD [\"/bin/sh\", \"-c\", \"");
    for (char c : command.toCharArray()) {
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        json.append(c);
      } else {
        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      }
    }
    return json.append("\"]").toString();
  }

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
