package io.slipway.cli;

import io.slipway.cli.api.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code slipway-cli}: the platform from the command line. */
@Command(
    name = "slipway-cli",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Slipway from the command line: apps, builds, deployments, logs.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  slipway-cli login",
      "  slipway-cli use acme/web",
      "  slipway-cli apps create site",
      "  slipway-cli push --app site",
      "  slipway-cli apps list -o json",
      "",
      "Exit codes: 0 ok, 1 failed, 2 usage or input refused, 3 not logged in or credentials",
      "refused, 4 forbidden, 5 not found, 6 refused by a quota, 7 conflict, 8 server failed or",
      "unreachable; run exits with its command's code, 124 when it ran out of time (docs/cli.md)."
    })
public final class Main implements Runnable {

  /** The commands, in the order help lists them. */
  static final List<Class<?>> COMMANDS =
      List.of(
          AuthCommands.Login.class,
          AuthCommands.Logout.class,
          AuthCommands.Whoami.class,
          AccountCommands.Use.class,
          CatalogCommands.Tenants.class,
          CatalogCommands.Projects.class,
          CatalogCommands.Apps.class,
          BuildCommands.Push.class,
          BuildCommands.Builds.class,
          RuntimeCommands.Deploy.class,
          RuntimeCommands.Rollback.class,
          RuntimeCommands.Promote.class,
          RuntimeCommands.Scale.class,
          RuntimeCommands.ScaleToZero.class,
          RuntimeCommands.Autoscale.class,
          RuntimeCommands.Start.class,
          RuntimeCommands.Stop.class,
          RuntimeCommands.Restart.class,
          RuntimeCommands.Logs.class,
          RuntimeCommands.RunCommand.class,
          RuntimeCommands.Cron.class,
          FunctionCommands.Activations.class,
          ConfigCommands.Env.class,
          ConfigCommands.Secrets.class,
          DomainCommands.Domains.class,
          VmCommands.Vm.class,
          AccountCommands.Tokens.class,
          AccountCommands.Quota.class,
          AccountCommands.Usage.class,
          AccountCommands.Open.class,
          AccountCommands.Completion.class,
          BuildCommands.GitCredential.class);

  private final Cli cli;

  Main(Cli cli) {
    this.cli = cli;
  }

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      description = "table (default), json or yaml")
  void output(Output.Format format) {
    cli.format(format);
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(cli.out());
    cli.out().flush();
  }

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // the one answer that needs no command model: skip building it (start-up budget)
      System.out.println(Version.text());
      return;
    }
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code =
        run(
            args,
            System.getenv(),
            Path.of("").toAbsolutePath(),
            System.in,
            out,
            err,
            Terminal.ofProcess());
    System.exit(code);
  }

  /** Runs one command line; returns its exit code. Nothing here reads globals (tests call it). */
  static int run(
      String[] args,
      Map<String, String> environment,
      Path workingDirectory,
      InputStream in,
      PrintWriter out,
      PrintWriter err,
      Terminal terminal) {
    Cli cli = new Cli(environment, workingDirectory, in, out, err, terminal);
    CommandLine command = commandLine(cli, args.length == 0 ? null : args[0]);
    command.setOut(out);
    command.setErr(err);
    command.setColorScheme(
        CommandLine.Help.defaultColorScheme(
            cli.color() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
    command.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          int code;
          String message;
          if (e instanceof Failure failure) {
            code = failure.exitCode();
            message = failure.getMessage();
          } else if (e instanceof ApiException api) {
            code = Exit.of(api);
            message = api.getMessage() + hint(cli, api, code);
          } else if (e instanceof UncheckedIOException io) {
            code = Exit.FAILED;
            message = io.getCause().getMessage();
          } else {
            code = Exit.FAILED;
            message = "unexpected " + e;
          }
          // a problem detail is a server's text, and standard error is a terminal even when
          // standard output is piped: no escape sequences reach it (the exit code is for scripts)
          message = Output.printable(String.valueOf(message), true);
          err.println((cli.color() ? "\033[31merror:\033[0m " : "error: ") + message);
          err.flush();
          return code;
        });
    CommandLine help = subcommandHelp(command, args);
    if (help != null) {
      help.usage(out, help.getColorScheme());
      out.flush();
      return Exit.OK;
    }
    int code = command.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * The subcommand ({@code apps list}) whose help a command line asks for with {@code -h} or {@code
   * --help}, else null. Method subcommands have no help option of their own (picocli would first
   * ask for their parameters), and a mixin added to their model breaks their invocation.
   */
  private static CommandLine subcommandHelp(CommandLine root, String[] args) {
    CommandLine target = root;
    int depth = 0;
    for (; depth < args.length; depth++) {
      CommandLine sub = target.getSubcommands().get(args[depth]);
      if (sub == null) {
        break;
      }
      target = sub;
    }
    if (depth < 2) {
      return null; // a command of the root: its own --help
    }
    for (int i = depth; i < args.length && !args[i].equals("--"); i++) {
      if (args[i].equals("-h") || args[i].equals("--help")) {
        return target;
      }
    }
    return null;
  }

  static CommandLine commandLine(Cli cli) {
    return commandLine(cli, null);
  }

  /**
   * The command model: with every command, or, when {@code first} names one, with that one only
   * (building picocli's model of every command is most of a run's start-up).
   */
  static CommandLine commandLine(Cli cli, String first) {
    CommandLine.IFactory fallback = CommandLine.defaultFactory();
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            try {
              var constructor = type.getDeclaredConstructor(Cli.class);
              constructor.setAccessible(true);
              return constructor.newInstance(cli);
            } catch (NoSuchMethodException none) {
              return fallback.create(type);
            }
          }
        };
    CommandLine root =
        new CommandLine(new Main(cli), factory).setCaseInsensitiveEnumValuesAllowed(true);
    List<Class<?>> chosen =
        COMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(first)).toList();
    for (Class<?> command : chosen.isEmpty() ? COMMANDS : chosen) {
      CommandLine line = new CommandLine(command, factory);
      shareExamples(line);
      root.addSubcommand(line);
    }
    return root.setCaseInsensitiveEnumValuesAllowed(true);
  }

  /**
   * Gives each subcommand ({@code apps list}) without examples of its own those of its command that
   * use it, else all of them: every {@code --help} ends with examples.
   */
  private static void shareExamples(CommandLine command) {
    CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
    for (CommandLine sub : command.getSubcommands().values()) {
      CommandLine.Model.UsageMessageSpec own = sub.getCommandSpec().usageMessage();
      if (own.footer().length > 0 || usage.footer().length == 0) {
        continue;
      }
      String prefix = "slipway-cli " + command.getCommandName() + " " + sub.getCommandName() + " ";
      String[] examples =
          java.util.Arrays.stream(usage.footer())
              .filter(line -> (line.strip() + " ").startsWith(prefix))
              .toArray(String[]::new);
      own.footerHeading(usage.footerHeading());
      own.footer(examples.length > 0 ? examples : usage.footer());
    }
  }

  private static String hint(Cli cli, ApiException e, int code) {
    if (code != Exit.AUTH
        || List.of(
                "not-logged-in", "session-ended", "login-refused", "access_denied", "expired_token")
            .contains(e.type())) {
      return "";
    }
    return cli.store()
            .read(io.slipway.cli.auth.Credentials.FILE, io.slipway.cli.auth.Credentials.class)
            .map(c -> !c.oidc())
            .orElse(false)
        ? " (the token given with login --token was refused: it may be revoked or expired;"
            + " every service accepts a valid personal access token with the scope api: log in"
            + " with one, or run slipway-cli login)"
        : " (run slipway-cli login)";
  }

  /** The version Maven built, from a filtered resource. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {text()};
    }

    static String text() {
      Properties properties = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException unreadable) {
        // "unknown" below
      }
      return "slipway-cli " + properties.getProperty("version", "unknown");
    }
  }
}
