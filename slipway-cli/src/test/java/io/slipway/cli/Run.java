package io.slipway.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs slipway-cli in-process with its own configuration directory, environment and streams. */
final class Run {

  record Result(int code, String out, String err) {}

  private final Map<String, String> environment = new HashMap<>();
  private Path workingDirectory;

  Run(Path home) {
    environment.put("HOME", home.toString());
    environment.put("XDG_CONFIG_HOME", home.resolve("config").toString());
    environment.put("PATH", System.getenv("PATH"));
    workingDirectory = home;
  }

  Run env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  Run in(Path directory) {
    workingDirectory = directory;
    return this;
  }

  Path home() {
    return Path.of(environment.get("HOME"));
  }

  Path configDirectory() {
    return Path.of(environment.get("XDG_CONFIG_HOME")).resolve("slipway");
  }

  Map<String, String> environment() {
    return environment;
  }

  Result run(String... args) {
    return withInput("", args);
  }

  Result withInput(String stdin, String... args) {
    return execute(stdin, false, args);
  }

  /** As if standard output were a terminal. */
  Result onTerminal(String... args) {
    return execute("", true, args);
  }

  private Result execute(String stdin, boolean terminal, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            args,
            Map.copyOf(environment),
            workingDirectory,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            terminal);
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs with output going to {@code out} as it is written (for commands that wait). */
  int streaming(StringWriter out, StringWriter err, String... args) {
    return Main.run(
        args,
        Map.copyOf(environment),
        workingDirectory,
        new ByteArrayInputStream(new byte[0]),
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        false);
  }
}
