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
    return execute(stdin, Terminal.NONE, args);
  }

  /** As if standard output were a terminal (standard input is not). */
  Result onTerminal(String... args) {
    return execute("", new Screen(null), args);
  }

  /**
   * As if standard input and output were a terminal where {@code typed} is typed at each hidden
   * prompt; {@link Screen#prompts()} keeps the prompts shown.
   */
  Result typing(Screen screen, String... args) {
    return execute("", screen, args);
  }

  /** A terminal standing in for a real one; input is a terminal when {@code typed} is given. */
  record Screen(String typed, java.util.List<String> prompts) implements Terminal {
    Screen(String typed) {
      this(typed, new java.util.ArrayList<>());
    }

    @Override
    public boolean output() {
      return true;
    }

    @Override
    public boolean input() {
      return typed != null;
    }

    @Override
    public String readHidden(String prompt) {
      prompts.add(prompt);
      return typed;
    }
  }

  private Result execute(String stdin, Terminal terminal, String... args) {
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
        Terminal.NONE);
  }
}
