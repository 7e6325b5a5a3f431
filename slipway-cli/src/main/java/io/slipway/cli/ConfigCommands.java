package io.slipway.cli;

import io.slipway.cli.api.AppRef;
import io.slipway.cli.api.generated.RuntimeBridgeClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** env and secrets: an app's configuration (applied at its next deploy, rollback or restart). */
final class ConfigCommands {

  private ConfigCommands() {}

  /** One variable as listed. */
  record Variable(String name, String value) {}

  /** One secret as listed: its name only, never its value. */
  record Secret(String name) {}

  @Command(
      name = "env",
      mixinStandardHelpOptions = true,
      description = "An app's environment variables.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  slipway-cli env list",
        "  slipway-cli env set GREETING=hello LOG_LEVEL=debug",
        "  slipway-cli env unset LOG_LEVEL"
      })
  static final class Env {
    private final Cli cli;

    Env(Cli cli) {
      this.cli = cli;
    }

    @Command(name = "list", description = "The app's variables.")
    int list(@Mixin Target target) {
      print(cli.runtime().env(target.app(cli)));
      return Exit.OK;
    }

    @Command(name = "set", description = "Set variables (NAME=VALUE ...).")
    int set(@Mixin Target target, @Parameters(paramLabel = "NAME=VALUE") List<String> pairs) {
      AppRef app = target.app(cli);
      Map<String, String> env = new TreeMap<>(cli.runtime().env(app).env());
      env.putAll(pairs(pairs));
      print(cli.runtime().configure(app, env, Map.of()));
      return Exit.OK;
    }

    @Command(name = "unset", description = "Remove variables (NAME ...).")
    int unset(@Mixin Target target, @Parameters(paramLabel = "NAME") List<String> names) {
      AppRef app = target.app(cli);
      Map<String, String> env = new TreeMap<>(cli.runtime().env(app).env());
      names.forEach(env::remove);
      print(cli.runtime().configure(app, env, Map.of()));
      return Exit.OK;
    }

    private void print(RuntimeBridgeClient.EnvView env) {
      List<Variable> variables =
          env.env().entrySet().stream().map(e -> new Variable(e.getKey(), e.getValue())).toList();
      cli.output().list(variables, "name", "value");
    }
  }

  @Command(
      name = "secrets",
      mixinStandardHelpOptions = true,
      description = {
        "An app's secrets: set and removed by name, listed by name; their values are never shown.",
        "A value not given on the command line is read from standard input (one line), so it"
            + " stays out of the shell's history; on a terminal it is asked for and not shown as"
            + " it is typed."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  slipway-cli secrets list",
        "  slipway-cli secrets set DB_PASSWORD          (asks for the value)",
        "  printf '%s' \"$DB_PASSWORD\" | slipway-cli secrets set DB_PASSWORD",
        "  slipway-cli secrets unset DB_PASSWORD"
      })
  static final class Secrets {
    private final Cli cli;

    Secrets(Cli cli) {
      this.cli = cli;
    }

    @Command(name = "list", description = "The app's secrets, by name.")
    int list(@Mixin Target target) {
      print(cli.runtime().env(target.app(cli)));
      return Exit.OK;
    }

    @Command(
        name = "set",
        description = "Set secrets (NAME=VALUE, or NAME: the value typed or on stdin).")
    int set(@Mixin Target target, @Parameters(paramLabel = "NAME[=VALUE]") List<String> given) {
      AppRef app = target.app(cli);
      Map<String, String> secrets = new LinkedHashMap<>();
      // one reader for the command: a reader per name would read ahead and swallow the next line
      BufferedReader stdin =
          new BufferedReader(new InputStreamReader(cli.in(), StandardCharsets.UTF_8));
      for (String entry : given) {
        if (entry.contains("=")) {
          secrets.putAll(pairs(List.of(entry)));
        } else if (cli.console().input()) {
          // typed by a person: never shown on the screen (nor left in the shell's history)
          secrets.put(entry, cli.console().readHidden("Value of " + entry + " (not shown): "));
        } else {
          secrets.put(entry, line(stdin));
        }
      }
      RuntimeBridgeClient.EnvView current = cli.runtime().env(app);
      print(cli.runtime().configure(app, current.env(), secrets));
      return Exit.OK;
    }

    @Command(name = "unset", description = "Remove secrets (NAME ...).")
    int unset(@Mixin Target target, @Parameters(paramLabel = "NAME") List<String> names) {
      AppRef app = target.app(cli);
      Map<String, String> secrets = new LinkedHashMap<>();
      names.forEach(name -> secrets.put(name, null));
      RuntimeBridgeClient.EnvView current = cli.runtime().env(app);
      print(cli.runtime().configure(app, current.env(), secrets));
      return Exit.OK;
    }

    private void print(RuntimeBridgeClient.EnvView env) {
      cli.output().list(env.secrets().stream().map(Secret::new).toList(), "name");
    }

    private static String line(BufferedReader stdin) {
      try {
        String line = stdin.readLine();
        if (line == null) {
          throw new Failure(Exit.USAGE, "no value on standard input");
        }
        return line;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static Map<String, String> pairs(List<String> pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String pair : pairs) {
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new Failure(Exit.USAGE, "expected NAME=VALUE, got '" + name(pair) + "'");
      }
      map.put(pair.substring(0, equals), pair.substring(equals + 1));
    }
    return map;
  }

  /** The name part only: a mistyped secret must not be echoed. */
  private static String name(String pair) {
    int equals = pair.indexOf('=');
    return equals < 0 ? pair : pair.substring(0, equals) + "=...";
  }
}
