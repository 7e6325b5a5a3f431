package io.slipway.cli;

import io.slipway.cli.api.AppRef;
import io.slipway.cli.auth.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * {@code --tenant}, {@code --project} and {@code --app}, each defaulting first to the git remote of
 * the repository the working directory is in (a Slipway remote, {@code
 * .../git/<tenant>/<project>/<app>.git}), then to the context that {@code slipway-cli use} stored.
 */
final class Target {

  private static final Pattern REMOTE =
      Pattern.compile("/git/([a-z0-9-]+)/([a-z0-9-]+)/([a-z0-9-]+?)(?:\\.git)?/?$");

  @Option(
      names = {"-t", "--tenant"},
      description = "The tenant (default: the git remote's, else the context's: slipway-cli use)")
  String tenant;

  @Option(
      names = {"-p", "--project"},
      description = "The project (default: the git remote's, else the context's)")
  String project;

  @Option(
      names = {"-a", "--app"},
      description = "The app (default: the git remote's, else the context's)")
  String app;

  String tenant(Cli cli) {
    return resolve(cli, tenant, 0, "tenant", "--tenant");
  }

  String project(Cli cli) {
    return resolve(cli, project, 1, "project", "--project");
  }

  AppRef app(Cli cli) {
    return new AppRef(tenant(cli), project(cli), resolve(cli, app, 2, "app", "--app"));
  }

  private static String resolve(Cli cli, String given, int part, String what, String option) {
    if (given != null) {
      return given;
    }
    Optional<String[]> remote = fromGitRemote(cli);
    if (remote.isPresent()) {
      return remote.get()[part];
    }
    Optional<Context> context = cli.store().read(Context.FILE, Context.class);
    String stored =
        context.map(c -> part == 0 ? c.tenant() : part == 1 ? c.project() : c.app()).orElse(null);
    if (stored != null) {
      return stored;
    }
    throw new Failure(
        Exit.USAGE,
        "which "
            + what
            + "? give "
            + option
            + ", or set a default: slipway-cli use <tenant>/<project>[/<app>]");
  }

  /**
   * The names in the Slipway git remote ({@code slipway} first) of the repository the working
   * directory is in (git finds it from a subdirectory too), if any: read once per run.
   */
  static Optional<String[]> fromGitRemote(Cli cli) {
    return cli.gitRemote(() -> parse(remoteUrls(cli)));
  }

  private static Optional<String[]> parse(List<String> urls) {
    for (String url : urls) {
      Matcher m = REMOTE.matcher(url);
      if (m.find()) {
        return Optional.of(new String[] {m.group(1), m.group(2), m.group(3)});
      }
    }
    return Optional.empty();
  }

  private static List<String> remoteUrls(Cli cli) {
    try {
      // --local: the repository's own configuration only; outside a repository git fails
      Process git =
          new ProcessBuilder("git", "config", "--local", "--get-regexp", "^remote\\..*\\.url$")
              .directory(cli.workingDirectory().toFile())
              .redirectErrorStream(true)
              .start();
      String text = new String(git.getInputStream().readAllBytes());
      if (!git.waitFor(5, TimeUnit.SECONDS) || git.exitValue() != 0) {
        return List.of();
      }
      List<String> first = new ArrayList<>();
      List<String> rest = new ArrayList<>();
      for (String line : text.split("\n")) {
        String[] parts = line.split(" ", 2);
        if (parts.length == 2) {
          (parts[0].equals("remote.slipway.url") ? first : rest).add(parts[1].strip());
        }
      }
      first.addAll(rest);
      return first;
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }
}
