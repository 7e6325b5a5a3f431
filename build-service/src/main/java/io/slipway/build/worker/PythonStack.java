package io.slipway.build.worker;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Python: a {@code requirements.txt}, {@code pyproject.toml} or {@code app.py} at the root. The
 * repository is copied into the stack image and {@code app.py} (else {@code main.py}) run with
 * {@code python3}, unless a Procfile's {@code web} command starts the app (then neither is needed).
 *
 * <p>A {@code requirements.txt} that names packages is installed with pip into a virtualenv
 * ({@value #VENV}) in a build stage of its own, to which only {@code requirements.txt} is copied:
 * its layer is reused while that file stays the same, so a push that changes only code installs
 * nothing. The venv is copied to the same path in the image the app runs on and put first on {@code
 * PATH}, so {@code python3} is the venv's. Packages come from the catalog's index through the
 * build's egress proxy (pip reads {@code HTTPS_PROXY} itself); a repository with a {@code wheels/}
 * directory installs from it alone ({@code --no-index --find-links}), with no network.
 */
record PythonStack(StackProperties.Python entry) implements SourceStack {

  /** Where the app's packages are installed, in the build stage and in the app's image. */
  static final String VENV = "/opt/venv";

  /** A committed directory of wheels that, when present, is the only place packages come from. */
  static final String WHEELS = "wheels";

  @Override
  public String name() {
    return "python";
  }

  @Override
  public boolean enabled() {
    return !entry.image().isBlank();
  }

  @Override
  public boolean matches(Path source) {
    return SourceStack.hasAny(source, "requirements.txt", "pyproject.toml", "app.py");
  }

  @Override
  public String containerfile(Path source, Optional<String> web) throws IOException {
    return containerfile(
        source, web.isPresent() ? SourceStack.startCommand(web.get()) : defaultStart(source));
  }

  /**
   * The Containerfile that installs {@code source}'s {@code requirements.txt} into the venv and
   * copies it into {@code /app} of the stack image, started by {@code start} (its {@code CMD} and
   * the lines that go with it) and ended by {@code last}: steps that check the copied files.
   */
  String containerfile(Path source, String start, String... last) throws IOException {
    boolean install = namesPackages(source.resolve("requirements.txt"));
    List<String> lines = new ArrayList<>();
    if (install) {
      lines.addAll(installStage(Files.isDirectory(source.resolve(WHEELS))));
    }
    lines.add("FROM " + entry.image());
    lines.add("WORKDIR /app");
    lines.add("ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PORT=" + PORT);
    if (install) {
      lines.add("ENV VIRTUAL_ENV=" + VENV + " PATH=" + VENV + "/bin:$PATH");
    }
    lines.add("USER " + USER);
    lines.add("EXPOSE " + PORT);
    lines.add(start);
    if (install) {
      lines.add("COPY --from=deps " + VENV + " " + VENV);
    }
    lines.add("COPY . /app");
    lines.addAll(List.of(last));
    return String.join("\n", lines) + "\n";
  }

  private static String defaultStart(Path source) throws UnbuildableSourceException {
    String main;
    if (SourceStack.hasAny(source, "app.py")) {
      main = "app.py";
    } else if (SourceStack.hasAny(source, "main.py")) {
      main = "main.py";
    } else {
      throw new UnbuildableSourceException(
          "python stack: no app.py or main.py at the repository root to run (or a Procfile"
              + " whose web line starts the app)");
    }
    return "CMD [\"python3\", \"/app/" + main + "\"]";
  }

  /**
   * The stage that installs requirements.txt (and nothing else of the repository, so that its
   * layers are reused while it is unchanged) into the venv.
   */
  private List<String> installStage(boolean wheels) {
    String from;
    if (wheels) {
      from = "--no-index --find-links /tmp/" + WHEELS;
    } else {
      URI index = URI.create(entry.indexUrl());
      from =
          "--index-url '"
              + index
              + "'"
              // pip ignores an index over plain HTTP unless told to trust its host
              + ("http".equals(index.getScheme())
                  ? " --trusted-host '" + index.getHost() + "'"
                  : "");
    }
    List<String> stage = new ArrayList<>();
    stage.add("FROM " + entry.image() + " AS deps");
    stage.add("RUN python3 -m venv " + VENV);
    stage.add("COPY requirements.txt /tmp/requirements.txt");
    if (wheels) {
      stage.add("COPY " + WHEELS + " /tmp/" + WHEELS);
    }
    // -q keeps the log to pip's warnings and errors; the layer cache is the download cache
    stage.add(
        "RUN "
            + VENV
            + "/bin/pip install -q --no-cache-dir --disable-pip-version-check --no-input"
            + " --progress-bar off --cert /etc/ssl/certs/ca-certificates.crt "
            + from
            + " -r /tmp/requirements.txt");
    return stage;
  }

  private static boolean namesPackages(Path requirements) throws IOException {
    return Files.isRegularFile(requirements)
        && Files.readAllLines(requirements).stream()
            .map(String::strip)
            .anyMatch(line -> !line.isEmpty() && !line.startsWith("#"));
  }

  @Override
  public String images() {
    return entry.image();
  }
}
