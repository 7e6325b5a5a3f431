package io.slipway.cli;

import io.slipway.cli.api.ApiException;
import io.slipway.cli.api.AppRef;
import io.slipway.cli.api.generated.BuildServiceClient;
import io.slipway.cli.api.generated.RuntimeBridgeClient;
import io.slipway.cli.auth.Credentials;
import io.slipway.cli.auth.Session;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** builds, push, and git's credential helper. */
final class BuildCommands {

  private BuildCommands() {}

  @Command(
      name = "builds",
      mixinStandardHelpOptions = true,
      description = "An app's builds.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  slipway-cli builds list",
        "  slipway-cli builds logs 4",
        "  slipway-cli builds cancel 5"
      })
  static final class Builds {
    private final Cli cli;

    Builds(Cli cli) {
      this.cli = cli;
    }

    @Command(name = "list", description = "The newest builds first.")
    int list(
        @Mixin Target target,
        @Option(names = "--limit", defaultValue = "20", description = "How many (20)") int limit) {
      cli.output()
          .list(
              cli.builds().builds(target.app(cli), limit),
              "number",
              "status",
              "commitId",
              "pushedBy",
              "createdAt");
      return Exit.OK;
    }

    @Command(
        name = "logs",
        description = "A build's log; a build still running is followed until it ends.")
    int logs(@Mixin Target target, @Parameters(paramLabel = "NUMBER") int number) {
      return follow(cli, target.app(cli), number);
    }

    @Command(name = "cancel", description = "Cancel a queued or running build.")
    int cancel(@Mixin Target target, @Parameters(paramLabel = "NUMBER") int number) {
      BuildServiceClient.Build build = cli.builds().cancel(target.app(cli), number);
      cli.output().one(build, "number", "status", "reason");
      return Exit.OK;
    }
  }

  /** Prints a build's log to its end; the exit code says whether it succeeded. */
  static int follow(Cli cli, AppRef app, int number) {
    Output output = cli.output();
    String status = cli.builds().followLog(app, number, output::line);
    if (status == null) {
      status = cli.builds().build(app, number).status();
    }
    if (!"succeeded".equals(status)) {
      throw new Failure(Exit.FAILED, "build " + number + " of " + app + " " + status);
    }
    cli.err().println("build " + number + " of " + app + " succeeded");
    cli.err().flush();
    return Exit.OK;
  }

  @Command(
      name = "push",
      mixinStandardHelpOptions = true,
      description = {
        "Push the current git repository's HEAD to the app's main branch, follow its build, and"
            + " wait until it is live.",
        "Adds the remote (default: slipway) with a credential helper that hands git a personal"
            + " access token (scope git) from slipway-cli's credentials: the token is never"
            + " written into the remote's URL nor into .git/config."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  slipway-cli push --app site", "  slipway-cli push --no-follow"})
  static final class Push implements Callable<Integer> {
    private final Cli cli;
    @Mixin Target target;

    @Option(names = "--remote", defaultValue = "slipway", description = "The remote's name")
    String remote;

    @Option(names = "--no-follow", description = "Do not wait for the build")
    boolean noFollow;

    Push(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      AppRef app = target.app(cli);
      ensureGitToken(cli);
      String url = cli.builds().gitUrl(app);
      List<String> remotes = git("remote").lines().toList();
      git("remote", remotes.contains(remote) ? "set-url" : "add", remote, url);
      // the empty helper first: helpers of the user's own configuration (e.g. store) are not asked
      // for this URL, so the token is never written to a file of git's
      git("config", "--replace-all", "credential." + url + ".helper", "");
      git("config", "--add", "credential." + url + ".helper", "!" + launcher() + " git-credential");
      int before =
          cli.builds().builds(app, 1).stream()
              .mapToInt(BuildServiceClient.Build::number)
              .max()
              .orElse(0);
      // the build is followed here, through the API: the push itself returns once it is queued
      List<String> push =
          new ArrayList<>(List.of("push", "-o", "no-follow", remote, "HEAD:refs/heads/main"));
      int code = run(push, true);
      if (code != 0) {
        throw new Failure(Exit.FAILED, "git push failed (exit " + code + ")");
      }
      if (noFollow) {
        return Exit.OK;
      }
      int number = awaitBuild(app, before);
      follow(cli, app, number);
      return awaitLive(app, cli.builds().build(app, number).digest());
    }

    /**
     * Waits until runtime-bridge has the build's image live (build-service asks it to deploy once
     * the build succeeded); a deploy that fails is a failure of the push.
     */
    private int awaitLive(AppRef app, String digest) {
      long deadline = System.nanoTime() + 300_000_000_000L;
      while (System.nanoTime() < deadline) {
        RuntimeBridgeClient.AppStatusView status;
        try {
          status = cli.runtime().status(app);
        } catch (ApiException e) {
          if (e.status() == 401 || e.status() == 403) {
            cli.err().println("(the deploy is not followed: " + e.getMessage() + ")");
            return Exit.OK;
          }
          throw e;
        }
        for (RuntimeBridgeClient.RevisionView revision : status.revisions()) {
          if (digest != null && digest.equals(revision.digest())) {
            if ("failed".equals(revision.status())) {
              throw new Failure(
                  Exit.FAILED,
                  "revision " + revision.revision() + " did not go live: " + revision.reason());
            }
            if (status.liveRevision() != null
                && status.liveRevision().equals(revision.revision())) {
              cli.err()
                  .println(
                      Output.printable(
                          "live at " + status.url() + " (revision " + revision.revision() + ")",
                          false));
              cli.err().flush();
              return Exit.OK;
            }
          }
        }
        pause();
      }
      throw new Failure(Exit.FAILED, "the build's image did not go live within 5 minutes");
    }

    private void pause() {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Failure(Exit.FAILED, "interrupted");
      }
    }

    private int awaitBuild(AppRef app, int before) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < deadline) {
        int newest =
            cli.builds().builds(app, 1).stream()
                .mapToInt(BuildServiceClient.Build::number)
                .max()
                .orElse(0);
        if (newest > before) {
          return newest;
        }
        pause();
      }
      throw new Failure(
          Exit.FAILED, "the push was received but no build appeared (nothing new to build?)");
    }

    private String launcher() {
      String path = cli.environment().get("SLIPWAY_CLI_LAUNCHER");
      return "'" + (path == null ? "slipway-cli" : path).replace("'", "'\\''") + "'";
    }

    private String git(String... arguments) {
      List<String> command = new ArrayList<>(List.of(arguments));
      StringBuilder out = new StringBuilder();
      int code = run(command, false, out);
      if (code != 0) {
        throw new Failure(Exit.FAILED, "git " + String.join(" ", arguments) + " failed: " + out);
      }
      return out.toString();
    }

    private int run(List<String> arguments, boolean show) {
      return run(arguments, show, new StringBuilder());
    }

    private int run(List<String> arguments, boolean show, StringBuilder out) {
      List<String> command = new ArrayList<>(List.of("git"));
      command.addAll(arguments);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(cli.workingDirectory().toFile())
              .redirectErrorStream(true);
      builder.environment().putAll(cli.environment());
      builder.environment().put("GIT_TERMINAL_PROMPT", "0");
      try {
        Process process = builder.start();
        try (BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = reader.readLine()) != null) {
            out.append(line).append('\n');
            if (show) {
              // git shows the server's "remote:" lines: no escape sequences reach the terminal
              cli.err().println(Output.printable(line, false));
              cli.err().flush();
            }
          }
        }
        return process.waitFor();
      } catch (IOException e) {
        throw new Failure(Exit.FAILED, "cannot run git: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Failure(Exit.FAILED, "interrupted");
      }
    }
  }

  /**
   * The personal access token git pushes with: one given with {@code login --token} (it needs scope
   * git), else one made once for this login (scope git, 90 days) and kept with the credentials.
   */
  static String ensureGitToken(Cli cli) {
    Session session = cli.session();
    Credentials credentials = session.credentials();
    if (credentials.gitToken() != null) {
      return credentials.gitToken();
    }
    if (!credentials.oidc() && credentials.accessToken().startsWith("slp_")) {
      return credentials.accessToken();
    }
    String host = cli.environment().getOrDefault("HOSTNAME", "this machine");
    String token =
        cli.tenants().createToken("slipway-cli git on " + host, List.of("git"), 90).token();
    session.save(credentials.withGitToken(token));
    return token;
  }

  @Command(
      name = "git-credential",
      hidden = true,
      description =
          "git's credential helper (set up by push): answers get with the git token, and"
              + " forgets it on erase (git refused it).")
  static final class GitCredential implements Callable<Integer> {
    private final Cli cli;

    @Parameters(paramLabel = "OPERATION")
    String operation;

    GitCredential(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(cli.in(), StandardCharsets.UTF_8));
      // git describes the request; a get's answer does not depend on it (the helper is per URL)
      String password = null;
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        if (line.startsWith("password=")) {
          password = line.substring("password=".length());
        }
      }
      if (operation.equals("erase")) {
        forgetGitToken(password);
        return Exit.OK;
      }
      if (!operation.equals("get")) {
        return Exit.OK;
      }
      try {
        String token = ensureGitToken(cli);
        cli.out().println("username=slipway-cli");
        cli.out().println("password=" + token);
        cli.out().flush();
      } catch (UncheckedIOException e) {
        return Exit.FAILED;
      }
      return Exit.OK;
    }

    /**
     * git erases a password the server refused (the git token was revoked or expired): forgetting
     * it lets the next push make a new one instead of failing until the next login. A token given
     * with {@code login --token} is not the CLI's to forget.
     */
    private void forgetGitToken(String refused) {
      if (refused == null) {
        return;
      }
      Session session = cli.session();
      cli.store()
          .read(Credentials.FILE, Credentials.class)
          .filter(c -> refused.equals(c.gitToken()))
          .ifPresent(c -> session.save(c.withGitToken(null)));
    }
  }
}
