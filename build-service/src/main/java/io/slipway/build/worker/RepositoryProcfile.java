package io.slipway.build.worker;

import io.slipway.build.procfile.ProcessType;
import io.slipway.build.procfile.Procfile;
import io.slipway.build.procfile.ProcfileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@code Procfile} at a repository's root, as a source build uses it: its {@code web} command
 * starts the image, its process types are recorded with the image ({@link ProcfileLabel}) for the
 * runtime to run the others ({@code worker}, …) beside it, and the build log says what the file
 * declared and what of it runs. A build that does not use the file (a static site, a repository
 * with its own Containerfile) does not read it, so a Procfile it ignores cannot fail it.
 */
final class RepositoryProcfile {

  static final String FILE = "Procfile";

  /** The release phase's type: run once per deploy by runtime-bridge, never scaled. */
  static final String RELEASE = "release";

  private RepositoryProcfile() {}

  /**
   * The command that starts the image {@code stack} builds from {@code source}: the Procfile's web
   * command, when there is one and the stack runs it. What the build log should say of the Procfile
   * goes to {@code log}.
   *
   * @throws SourceStack.UnbuildableSourceException when a Procfile the stack would use cannot be
   *     parsed, with the parser's reason (which names the line)
   */
  static Optional<String> web(Path source, SourceStack stack, Consumer<String> log)
      throws IOException {
    return used(source, stack, log).flatMap(Procfile::web).map(ProcessType::command);
  }

  /**
   * The Procfile the image {@code stack} builds from {@code source} runs by: empty without one, or
   * when the stack does not run it. What the build log should say of it goes to {@code log}.
   *
   * @throws SourceStack.UnbuildableSourceException when the Procfile cannot be parsed, with the
   *     parser's reason (which names the line)
   */
  static Optional<Procfile> used(Path source, SourceStack stack, Consumer<String> log)
      throws IOException {
    if (!present(source)) {
      return Optional.empty();
    }
    if (!stack.runsProcfile()) {
      log.accept("Procfile: not used; the " + stack.name() + " stack " + stack.server());
      return Optional.empty();
    }
    Procfile procfile = read(source);
    procfile.warnings().forEach(log);
    log.accept(
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
    List<String> processes =
        procfile.others().stream()
            .map(ProcessType::name)
            .filter(name -> !name.equals(RELEASE))
            .toList();
    if (!processes.isEmpty()) {
      log.accept(
          "Procfile: "
              + String.join(", ", processes)
              + (processes.size() == 1 ? " runs" : " run")
              + " in containers of its own from this image, as many as the app is scaled to"
              + " (none until then: scale "
              + processes.getFirst()
              + "=1)");
    }
    if (procfile.processes().stream().anyMatch(type -> type.name().equals(RELEASE))) {
      log.accept(
          "Procfile: release runs once per deploy in a one-off container of the new image, before it takes traffic");
    }
    return Optional.of(procfile);
  }

  /** What the build log says of a Procfile next to the repository's own {@code containerfile}. */
  static Optional<String> ignoredBy(Path containerfile, Path source) {
    return present(source)
        ? Optional.of(
            "Procfile: not used; the " + containerfile.getFileName() + "'s CMD starts the app")
        : Optional.empty();
  }

  private static boolean present(Path source) {
    return Files.isRegularFile(source.resolve(FILE), LinkOption.NOFOLLOW_LINKS);
  }

  /** The Procfile, read (at most one byte more than it may have) and parsed. */
  private static Procfile read(Path source) throws IOException {
    byte[] content;
    try (InputStream in = Files.newInputStream(source.resolve(FILE), LinkOption.NOFOLLOW_LINKS)) {
      content = in.readNBytes(Procfile.MAX_BYTES + 1);
    }
    try {
      return Procfile.parse(content);
    } catch (ProcfileException e) {
      throw new SourceStack.UnbuildableSourceException(e.getMessage());
    }
  }
}
