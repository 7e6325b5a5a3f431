package io.slipway.cli;

import io.slipway.cli.api.AppRef;
import io.slipway.cli.api.RuntimeApi;
import io.slipway.cli.api.generated.RuntimeBridgeClient;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * deploy, rollback, promote, scale, scale-to-zero, autoscale, start, stop, restart, logs, run,
 * cron.
 */
final class RuntimeCommands {

  private RuntimeCommands() {}

  private static final String[] REVISION = {"revision", "status", "image", "replicas", "reason"};

  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      description = "Deploy an image as the app's new revision.",
      footerHeading = "%nExamples:%n",
      footer = {"  slipway-cli deploy --app api --image docker.io/library/nginx:1.27 --port 8080"})
  static final class Deploy implements Callable<Integer> {
    private final Cli cli;
    @Mixin Target target;

    @Option(names = "--image", required = true, description = "The image to run")
    String image;

    @Option(names = "--port", description = "The port the app listens on")
    Integer port;

    @Option(names = "--replicas", description = "How many instances")
    Integer replicas;

    Deploy(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      AppRef app = target.app(cli);
      RuntimeBridgeClient.RevisionView revision = cli.runtime().deploy(app, image, port, replicas);
      cli.output().one(revision, REVISION);
      return live(revision);
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description =
          "Go back to an earlier revision (default: the newest one live before the current whose"
              + " image retention kept).",
      footerHeading = "%nExamples:%n",
      footer = {"  slipway-cli rollback", "  slipway-cli rollback --to 3"})
  static final class Rollback implements Callable<Integer> {
    private final Cli cli;
    @Mixin Target target;

    @Option(names = "--to", paramLabel = "REVISION", description = "The revision to go back to")
    Integer to;

    Rollback(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      AppRef app = target.app(cli);
      int revision = to != null ? to : previous(cli.runtime().status(app));
      RuntimeBridgeClient.RevisionView result = cli.runtime().rollback(app, revision);
      cli.output().one(result, REVISION);
      return live(result);
    }

    private static int previous(RuntimeBridgeClient.AppStatusView status) {
      Integer live = status.liveRevision();
      return status.revisions().stream()
          // retention removed the images of old revisions: those cannot come back
          .filter(r -> r.liveAt() != null && !Boolean.TRUE.equals(r.imageRemoved()))
          .filter(r -> live == null || r.revision() < live)
          .max(Comparator.comparingInt(RuntimeBridgeClient.RevisionView::revision))
          .map(RuntimeBridgeClient.RevisionView::revision)
          .orElseThrow(
              () ->
                  new Failure(
                      Exit.CONFLICT,
                      "no earlier revision of "
                          + status.app()
                          + " that was live still has its image; give one with --to"));
    }
  }

  @Command(
      name = "promote",
      mixinStandardHelpOptions = true,
      description =
          "Run the app's live image on another app of the tenant (PROJECT/APP), by digest and"
              + " without a rebuild; the target's image policy must admit it.",
      footerHeading = "%nExamples:%n",
      footer = {"  slipway-cli promote prod/site --project staging --app site"})
  static final class Promote implements Callable<Integer> {
    private final Cli cli;
    @Mixin Target target;

    @Parameters(index = "0", paramLabel = "PROJECT/APP", description = "The app to promote to")
    String to;

    Promote(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      AppRef app = target.app(cli);
      String[] parts = to.split("/", -1);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new Failure(Exit.USAGE, "name the app to promote to as PROJECT/APP, not " + to);
      }
      RuntimeBridgeClient.RevisionView result = cli.runtime().promote(app, parts[0], parts[1]);
      cli.output().one(result, REVISION);
      return live(result);
    }
  }

  @Command(
      name = "scale",
      mixinStandardHelpOptions = true,
      description =
          "Run this many instances of the live revision: web's, or of a process type of its"
              + " Procfile (TYPE=COUNT).",
      footerHeading = "%nExamples:%n",
      footer = {"  slipway-cli scale 3 --app site", "  slipway-cli scale worker=1 --app site"})
  static final class Scale implements Callable<Integer> {
    private final Cli cli;
    @Mixin Target target;

    @Parameters(paramLabel = "[TYPE=]COUNT", converter = Formation.Converter.class)
    Formation formation;

    Scale(Cli cli) {
      this.cli = cli;
    }

    /** {@code 3} (web) or {@code worker=1}, as Heroku's {@code ps:scale} takes it. */
    record Formation(String type, int count) {
      static final class Converter implements CommandLine.ITypeConverter<Formation> {
        @Override
        public Formation convert(String value) {
          int equals = value.indexOf('=');
          String type = equals < 0 ? null : value.substring(0, equals);
          if (type != null && !type.matches("[A-Za-z0-9_-]{1,63}")) {
            throw new CommandLine.TypeConversionException(
                "a process type is 1 to 63 letters, digits, '_' or '-'");
          }
          try {
            return new Formation(type, Integer.parseInt(value.substring(equals + 1)));
          } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("COUNT must be a whole number");
          }
        }
      }
    }

    @Override
    public Integer call() {
      RuntimeBridgeClient.RevisionView revision =
          cli.runtime().scale(target.app(cli), formation.type(), formation.count());
      cli.output().one(revision, REVISION);
      return live(revision);
    }
  }

  @Command(
      name = "scale-to-zero",
      mixinStandardHelpOptions = true,
      description =
          "Stop the app's instances after a period without requests (pause them first with"
              + " --paused-for); the next request wakes it. Without options, shows the setting.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  slipway-cli scale-to-zero --app site",
        "  slipway-cli scale-to-zero --after 10m --app site",
        "  slipway-cli scale-to-zero --after 5m --paused-for 1h --app site",
        "  slipway-cli scale-to-zero --off --app site"
      })
  static final class ScaleToZero implements Callable<Integer> {
    private final Cli cli;
    @Mixin Target target;

    @Option(
        names = "--after",
        paramLabel = "PERIOD",
        description = "Opt in: the idle period, such as 90s, 5m or 2h (1m to 24h)")
    String after;

    @Option(
        names = "--paused-for",
        paramLabel = "PERIOD",
        description =
            "Opt in with a paused stage: idle instances are paused (memory and quota kept, the next"
                + " request answered in about a tenth of a second) and stopped only after this much"
                + " longer (0s to 24h; 0s: stopped at once)")
    String pausedFor;

    @Option(names = "--on", description = "Opt in with the platform's idle period (5m)")
    boolean on;

    @Option(names = "--off", description = "Opt out: it runs whether or not requests come")
    boolean off;

    ScaleToZero(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      boolean optIn = on || after != null || pausedFor != null;
      if (off && optIn) {
        throw new Failure(Exit.USAGE, "--off cannot go with --on, --after or --paused-for");
      }
      AppRef app = target.app(cli);
      RuntimeBridgeClient.ScaleToZeroView setting =
          off || optIn
              ? cli.runtime().scaleToZero(app, !off, after, pausedFor)
              : cli.runtime().scaleToZero(app);
      cli.output().one(setting, "enabled", "idleAfter", "pausedFor", "stage", "supported");
      return Exit.OK;
    }
  }

  @Command(
      name = "autoscale",
      mixinStandardHelpOptions = true,
      description = {
        "Scale the app's web instances with the requests in flight: between --min and --max, one"
            + " instance for each --target requests at once (Knative's concurrency). Within the"
            + " project's quota: a scale-up it refuses is an AutoscaleRefused event. Without"
            + " options, shows the setting."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  slipway-cli autoscale --app site",
        "  slipway-cli autoscale --min 1 --max 5 --target 20 --app site",
        "  slipway-cli autoscale --off --app site"
      })
  static final class Autoscale implements Callable<Integer> {
    private final Cli cli;
    @Mixin Target target;

    @Option(names = "--min", description = "The fewest instances (1 to 100; default 1)")
    Integer min;

    @Option(names = "--max", description = "The most instances (--min to 100; default 10)")
    Integer max;

    @Option(
        names = "--target",
        paramLabel = "REQUESTS",
        description = "Requests in flight each instance is meant for (1 to 10000; default 10)")
    Integer concurrency;

    @Option(names = "--on", description = "Opt in with the defaults")
    boolean on;

    @Option(names = "--off", description = "Opt out: the replicas stay as scaled")
    boolean off;

    Autoscale(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      boolean optIn = on || min != null || max != null || concurrency != null;
      if (off && optIn) {
        throw new Failure(Exit.USAGE, "--off cannot go with --on, --min, --max or --target");
      }
      AppRef app = target.app(cli);
      RuntimeBridgeClient.AutoscaleView setting =
          off || optIn
              ? cli.runtime().autoscaling(app, !off, min, max, concurrency)
              : cli.runtime().autoscaling(app);
      cli.output().one(setting, "enabled", "min", "max", "targetConcurrency", "supported");
      return Exit.OK;
    }
  }

  /** start, stop and restart differ only by name. */
  abstract static class Lifecycle implements Callable<Integer> {
    private final Cli cli;
    private final String action;
    @Mixin Target target;

    Lifecycle(Cli cli, String action) {
      this.cli = cli;
      this.action = action;
    }

    @Override
    public Integer call() {
      RuntimeBridgeClient.AppStatusView status = cli.runtime().lifecycle(target.app(cli), action);
      cli.output().one(status, "app", "url", "liveRevision", "stopped");
      return Exit.OK;
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Start a stopped app.",
      footerHeading = "%nExamples:%n",
      footer = {"  slipway-cli start --app site"})
  static final class Start extends Lifecycle {
    Start(Cli cli) {
      super(cli, "start");
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stop the app's instances.",
      footerHeading = "%nExamples:%n",
      footer = {"  slipway-cli stop --app site"})
  static final class Stop extends Lifecycle {
    Stop(Cli cli) {
      super(cli, "stop");
    }
  }

  @Command(
      name = "restart",
      mixinStandardHelpOptions = true,
      description = "Restart the app's instances (to apply changed env or secrets).",
      footerHeading = "%nExamples:%n",
      footer = {"  slipway-cli env set LOG_LEVEL=debug && slipway-cli restart"})
  static final class Restart extends Lifecycle {
    Restart(Cli cli) {
      super(cli, "restart");
    }
  }

  @Command(
      name = "logs",
      mixinStandardHelpOptions = true,
      description = "The live revision's output.",
      footerHeading = "%nExamples:%n",
      footer = {"  slipway-cli logs --tail 50", "  slipway-cli logs -f --app site"})
  static final class Logs implements Callable<Integer> {
    private final Cli cli;
    @Mixin Target target;

    @Option(
        names = {"-f", "--follow"},
        description = "Keep printing new lines")
    boolean follow;

    @Option(names = "--tail", defaultValue = "100", description = "Lines from the end (100)")
    int tail;

    @Option(
        names = "--process",
        description = "A process type of the app's Procfile, e.g. worker (default: web)")
    String process;

    Logs(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      Output output = cli.output();
      cli.runtime().logs(target.app(cli), process, tail, follow, output::line);
      return Exit.OK;
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Run a command in a fresh container of the app's live revision (its env and secrets), print"
            + " its output as it comes and exit with its exit code (124 when it ran out of time).",
        "The words after -- are joined with spaces and run by /bin/sh -c in the container; quote"
            + " the whole command to keep pipes and variables for that shell."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  slipway-cli run --app site -- python manage.py migrate",
        "  slipway-cli run -- 'echo $DATABASE_URL | cut -d@ -f2'",
        "  slipway-cli run --output json -- ls -l /app"
      })
  static final class RunCommand implements Callable<Integer> {
    private final Cli cli;
    @Mixin Target target;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command to run")
    List<String> command;

    RunCommand(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      String line = String.join(" ", command);
      if (line.isBlank() || line.length() > 4096 || line.indexOf('\0') >= 0) {
        throw new Failure(Exit.USAGE, "the command must be 1 to 4096 characters");
      }
      AppRef app = target.app(cli);
      RuntimeApi runtime = cli.runtime();
      Output output = cli.output();
      boolean table = output.format() == Output.Format.table;
      RuntimeBridgeClient.Run started = runtime.startRun(app, line);
      boolean[] printed = {false};
      RuntimeBridgeClient.Run run =
          runtime.runOutput(
              app,
              started.id(),
              text -> {
                if (table) {
                  output.line(text);
                  printed[0] = true;
                }
              });
      if (run == null) {
        // the stream broke off before its end: the run's record says how far it got
        run = runtime.findRun(app, started.id());
        if (run.finishedAt() == null) {
          throw new Failure(
              Exit.SERVER,
              "the output stream ended while run "
                  + started.id()
                  + " still runs; its end shows in the app's runs");
        }
      }
      if (!table) {
        output.structured(run);
      } else if (!printed[0] && run.output() != null && !run.output().isEmpty()) {
        output.line(run.output());
      }
      return exitCode(run);
    }

    /** The command's own exit code; {@link Exit#TIMED_OUT} or a failure when it has none. */
    static int exitCode(RuntimeBridgeClient.Run run) {
      if (Boolean.TRUE.equals(run.timedOut())) {
        throw new Failure(
            Exit.TIMED_OUT,
            "the command did not finish within the platform's time limit and was stopped");
      }
      if (run.exitCode() == null) {
        throw new Failure(Exit.FAILED, "the command was cut short: " + run.output());
      }
      return run.exitCode();
    }
  }

  @Command(
      name = "cron",
      mixinStandardHelpOptions = true,
      description = {
        "The app's cron entries (its app.json's cron, schedules in UTC): when each runs next and"
            + " how its last run went.",
        "Each run is a one-off run of the live revision: its output is in the run's record."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  slipway-cli cron --app site", "  slipway-cli cron -o json"})
  static final class Cron implements Callable<Integer> {
    private final Cli cli;
    @Mixin Target target;

    Cron(Cli cli) {
      this.cli = cli;
    }

    /** A table row: the entry and its newest firing. */
    record Row(
        String id,
        String schedule,
        String command,
        String nextRunAt,
        String lastDueAt,
        String lastStatus,
        Integer lastExitCode) {}

    @Override
    public Integer call() {
      RuntimeBridgeClient.CronList cron = cli.runtime().cron(target.app(cli));
      Output output = cli.output();
      if (output.format() != Output.Format.table) {
        output.structured(cron.entries());
        return Exit.OK;
      }
      List<Row> rows =
          cron.entries().stream()
              .map(
                  entry -> {
                    RuntimeBridgeClient.Firing last =
                        entry.lastRuns().isEmpty() ? null : entry.lastRuns().getFirst();
                    return new Row(
                        entry.id(),
                        entry.schedule(),
                        entry.command(),
                        Boolean.TRUE.equals(cron.stopped()) ? "(stopped)" : entry.nextRunAt(),
                        last == null ? null : last.dueAt(),
                        last == null ? null : last.status(),
                        last == null ? null : last.exitCode());
                  })
              .toList();
      output.list(
          rows,
          "id",
          "schedule",
          "command",
          "nextRunAt",
          "lastDueAt",
          "lastStatus",
          "lastExitCode");
      return Exit.OK;
    }
  }

  private static int live(RuntimeBridgeClient.RevisionView revision) {
    if ("failed".equals(revision.status())) {
      throw new Failure(
          Exit.FAILED,
          "revision "
              + revision.revision()
              + " did not go live: "
              + (revision.reason() == null ? revision.status() : revision.reason()));
    }
    return Exit.OK;
  }
}
