package io.slipway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./slipway} and the files under {@code scripts/} it sources, linted by shellcheck at
 * severity warning and above ({@code ./slipway test} installs shellcheck). shellcheck reads the
 * sourced files through the entry point, so that a variable set in one file and used in another is
 * seen as the script runs.
 */
class ShellScriptsTest {

  private static final Path ROOT = PlatformWiring.root();

  @Test
  void shellcheckFindsNothing() {
    Result result =
        run(
            ROOT,
            "shellcheck",
            "--external-sources",
            "--check-sourced",
            "-S",
            "warning",
            "slipway");

    assertThat(result.exit()).as("shellcheck's findings:%n%s", result.output()).isZero();
  }

  @Test
  void everyFileUnderScriptsIsSourcedByTheEntryPoint() throws IOException {
    String entryPoint = Files.readString(ROOT.resolve("slipway"));

    assertThat(scripts())
        .isNotEmpty()
        .allSatisfy(
            script ->
                assertThat(entryPoint)
                    .as("./slipway sources %s, so shellcheck checks it", script)
                    .contains("source \"$ROOT/scripts/" + script.getFileName() + "\""));
  }

  @Test
  void shellcheckReportsAWarningAsAFinding(@TempDir Path dir) throws IOException {
    // the level and the tool are live: a masked return value (SC2155) is a finding
    Files.writeString(
        dir.resolve("bad.sh"), "#!/usr/bin/env bash\nf() { local x=$(date); echo \"$x\"; }\nf\n");

    Result result = run(dir, "shellcheck", "-S", "warning", "bad.sh");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.output()).contains("SC2155");
  }

  @Test
  void bashParsesEveryFile() throws IOException {
    List<Path> files = new ArrayList<>(scripts());
    files.add(ROOT.resolve("slipway"));

    assertThat(files)
        .allSatisfy(
            file -> {
              Result result = run(ROOT, "bash", "-n", file.toString());
              assertThat(result.exit()).as("bash -n %s: %s", file, result.output()).isZero();
            });
  }

  private static List<Path> scripts() throws IOException {
    try (Stream<Path> files = Files.list(ROOT.resolve("scripts"))) {
      return files.filter(file -> file.toString().endsWith(".sh")).sorted().toList();
    }
  }

  record Result(int exit, String output) {}

  static Result run(Path dir, String... command) {
    try {
      Process process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not end in 120 s");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new IllegalStateException(
          "could not run "
              + command[0]
              + " (./slipway test installs it: apt-get install "
              + command[0]
              + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
