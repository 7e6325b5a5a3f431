package io.slipway.build.worker;

import io.slipway.build.procfile.ProcessType;
import io.slipway.build.procfile.Procfile;
import io.slipway.build.procfile.ProcfileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code Procfile} at a repository's root, as a source build uses it: its {@code web} command
 * starts the image, and the build log says what the file declared and what of it runs. Process
 * types other than {@code web} ({@code worker}, {@code release}, …) are parsed, so a faulty line
 * fails the build now, and named in the log as not run: the platform starts only the web process.
 */
final class RepositoryProcfile {

  static final String FILE = "Procfile";

  private RepositoryProcfile() {}

  /** Whether the repository has a Procfile at its root. */
  static boolean present(Path source) {
    return Files.isRegularFile(source.resolve(FILE), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * The repository's Procfile, read (at most one byte more than it may have) and parsed; empty when
   * there is none.
   *
   * @throws SourceStack.UnbuildableSourceException when it cannot be parsed, with the parser's
   *     reason (which names the line)
   */
  static Optional<Procfile> read(Path source) throws IOException {
    if (!present(source)) {
      return Optional.empty();
    }
    byte[] content;
    try (InputStream in = Files.newInputStream(source.resolve(FILE), LinkOption.NOFOLLOW_LINKS)) {
      content = in.readNBytes(Procfile.MAX_BYTES + 1);
    }
    try {
      return Optional.of(Procfile.parse(content));
    } catch (ProcfileException e) {
      throw new SourceStack.UnbuildableSourceException(e.getMessage());
    }
  }

  /** The command that starts the image {@code stack} builds: the web process's, if it runs one. */
  static Optional<String> web(Procfile procfile, SourceStack stack) {
    return stack.runsProcfile() ? procfile.web().map(ProcessType::command) : Optional.empty();
  }

  /** What the build log says of the Procfile in a build with {@code stack}. */
  static List<String> notes(Procfile procfile, SourceStack stack) {
    List<String> notes = new ArrayList<>(procfile.warnings());
    if (!stack.runsProcfile()) {
      notes.add(
          "Procfile: not used; the "
              + stack.name()
              + " stack serves the files with its base image's own server");
      return notes;
    }
    notes.add(
        procfile
            .web()
            .map(
                web ->
                    "Procfile: the web process starts the app (line "
                        + web.line()
                        + "): /bin/sh -c "
                        + web.command())
            .orElse(
                "Procfile: no web process declared, so the "
                    + stack.name()
                    + " stack's own start command runs"));
    List<ProcessType> others = procfile.others();
    if (!others.isEmpty()) {
      notes.add(
          "Procfile: "
              + others.stream().map(ProcessType::name).collect(Collectors.joining(", "))
              + (others.size() == 1 ? " is" : " are")
              + " declared but not run: only the web process runs on this platform so far");
    }
    return notes;
  }
}
