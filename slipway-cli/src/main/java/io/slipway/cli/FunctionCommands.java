package io.slipway.cli;

import io.slipway.cli.api.generated.RuntimeBridgeClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** activations: a function's invocations. */
final class FunctionCommands {

  private FunctionCommands() {}

  /** The statuses runtime-bridge filters by. */
  static final List<String> STATUSES = List.of("success", "error", "timeout");

  @Command(
      name = "activations",
      mixinStandardHelpOptions = true,
      description = {
        "A function's activations, newest first: each invocation's status, duration and result"
            + " size.",
        "When more are kept, the last line names the --before that lists the next page."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  slipway-cli activations --app hello",
        "  slipway-cli activations --status error --limit 20",
        "  slipway-cli activations --status timeout -o json"
      })
  static final class Activations implements Callable<Integer> {
    private final Cli cli;
    @Mixin Target target;

    @Option(
        names = "--status",
        paramLabel = "STATUS",
        description = "Only success, error or timeout")
    String status;

    @Option(names = "--limit", description = "How many, 1 to 200 (default 50)")
    Integer limit;

    @Option(
        names = "--before",
        paramLabel = "ID",
        description = "Those started before this activation (the next page)")
    String before;

    Activations(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      if (status != null && !STATUSES.contains(status)) {
        throw new Failure(
            Exit.USAGE, "--status is one of " + String.join(", ", STATUSES) + ", not " + status);
      }
      if (limit != null && (limit < 1 || limit > 200)) {
        throw new Failure(Exit.USAGE, "--limit is 1 to 200, not " + limit);
      }
      RuntimeBridgeClient.ActivationPage page =
          cli.runtime().activations(target.app(cli), limit, before, status);
      Output output = cli.output();
      if (output.format() != Output.Format.table) {
        output.structured(page);
        return Exit.OK;
      }
      output.list(
          page.activations(),
          "id",
          "startedAt",
          "durationMs",
          "status",
          "httpStatus",
          "trigger",
          "resultBytes");
      if (page.next() != null) {
        output.line(
            "(more: --before " + page.next() + (status == null ? "" : " --status " + status) + ")");
      }
      return Exit.OK;
    }
  }
}
