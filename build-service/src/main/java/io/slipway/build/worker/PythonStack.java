package io.slipway.build.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Python: a {@code requirements.txt}, {@code pyproject.toml} or {@code app.py} at the root. The
 * repository is copied into the stack image and {@code app.py} (else {@code main.py}) run with
 * {@code python3}. Packages are not installed: the platform has no package index to install from,
 * so a {@code requirements.txt} that names any fails the build with that reason.
 */
record PythonStack(StackProperties.Python entry) implements SourceStack {

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
  public String containerfile(Path source) throws IOException {
    Path requirements = source.resolve("requirements.txt");
    if (Files.isRegularFile(requirements)
        && Files.readAllLines(requirements).stream()
            .map(String::strip)
            .anyMatch(line -> !line.isEmpty() && !line.startsWith("#"))) {
      throw new UnbuildableSourceException(
          "python stack: requirements.txt names packages, and this platform installs none yet"
              + " (no package index is reachable); vendor them into the repository");
    }
    String main;
    if (SourceStack.hasAny(source, "app.py")) {
      main = "app.py";
    } else if (SourceStack.hasAny(source, "main.py")) {
      main = "main.py";
    } else {
      throw new UnbuildableSourceException(
          "python stack: no app.py or main.py at the repository root to run");
    }
    return String.join(
        "\n",
        "FROM " + entry.image(),
        "WORKDIR /app",
        "ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PORT=" + PORT,
        "USER " + USER,
        "EXPOSE " + PORT,
        "CMD [\"python3\", \"/app/" + main + "\"]",
        "COPY . /app",
        "");
  }

  @Override
  public String images() {
    return entry.image();
  }
}
