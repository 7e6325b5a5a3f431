package io.slipway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real git command line, run with a clean configuration in a working directory. */
public final class GitCli {

  /** What a git command printed (stdout and stderr together) and its exit code. */
  public record Result(int exitCode, String output) {}

  private final Path home;

  public GitCli(Path home) {
    this.home = home;
  }

  public Result run(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("/usr/bin/git");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.redirectErrorStream(true);
    var env = builder.environment();
    env.put("HOME", home.toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_AUTHOR_NAME", "Test");
    env.put("GIT_AUTHOR_EMAIL", "test@example.test");
    env.put("GIT_COMMITTER_NAME", "Test");
    env.put("GIT_COMMITTER_EMAIL", "test@example.test");
    env.put("LC_ALL", "C");
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("git " + String.join(" ", args) + " timed out");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command that must succeed and returns its output. */
  public String ok(Path dir, String... args) {
    Result result = run(dir, args);
    if (result.exitCode() != 0) {
      throw new AssertionError("git " + String.join(" ", args) + " failed:\n" + result.output());
    }
    return result.output().trim();
  }

  /** A new working tree on branch main with one commit of {@code files}. */
  public Path newRepository(Path dir, java.util.Map<String, String> files) {
    try {
      Files.createDirectories(dir);
      ok(dir, "init", "-q", "-b", "main");
      for (var file : files.entrySet()) {
        Path path = dir.resolve(file.getKey());
        Files.createDirectories(path.getParent());
        Files.writeString(path, file.getValue());
      }
      ok(dir, "add", "-A");
      ok(dir, "commit", "-q", "-m", "first");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
