package io.slipway.cli;

import io.slipway.cli.api.Json;
import io.slipway.cli.api.Uris;
import io.slipway.cli.api.generated.TenantServiceClient;
import io.slipway.cli.auth.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** use, tokens, quota, usage, open, completion. */
final class AccountCommands {

  private AccountCommands() {}

  @Command(
      name = "use",
      mixinStandardHelpOptions = true,
      description = {
        "Set the default tenant and project (and app) for the commands that follow.",
        "Inside a git repository with a Slipway remote, that remote's names come first."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  slipway-cli use acme/web",
        "  slipway-cli use acme/web/site",
        "  slipway-cli use"
      })
  static final class Use implements Callable<Integer> {
    private final Cli cli;

    @Parameters(arity = "0..1", paramLabel = "TENANT/PROJECT[/APP]")
    String context;

    Use(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      if (context == null) {
        Context current =
            cli.store().read(Context.FILE, Context.class).orElse(new Context(null, null, null));
        cli.output().one(current, "tenant", "project", "app");
        return Exit.OK;
      }
      String[] parts = context.split("/");
      if (parts.length < 1 || parts.length > 3 || List.of(parts).contains("")) {
        throw new Failure(Exit.USAGE, "expected TENANT/PROJECT[/APP], got '" + context + "'");
      }
      Context chosen =
          new Context(
              parts[0], parts.length > 1 ? parts[1] : null, parts.length > 2 ? parts[2] : null);
      cli.store().write(Context.FILE, chosen);
      cli.output().message("Using " + context, chosen);
      return Exit.OK;
    }
  }

  @Command(
      name = "tokens",
      mixinStandardHelpOptions = true,
      description = "Your personal access tokens (managing them needs a login session).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  slipway-cli tokens create ci --scope api --scope git --expires-in-days 30",
        "  slipway-cli tokens list",
        "  slipway-cli tokens revoke 6f1c..."
      })
  static final class Tokens {
    private final Cli cli;

    Tokens(Cli cli) {
      this.cli = cli;
    }

    @Command(name = "list", description = "Your tokens, newest first (never their secrets).")
    int list() {
      cli.output()
          .list(cli.tenants().tokens(), "id", "name", "scopes", "prefix", "status", "expiresAt");
      return Exit.OK;
    }

    @Command(name = "create", description = "Make a token; its secret is shown this once.")
    int create(
        @Parameters(paramLabel = "NAME") String name,
        @Option(
                names = "--scope",
                defaultValue = "api",
                description = "api and/or git (repeatable; default api)")
            List<String> scopes,
        @Option(names = "--expires-in-days", description = "1 to 365 (default 30)") Integer days) {
      TenantServiceClient.CreatedToken token = cli.tenants().createToken(name, scopes, days);
      cli.output()
          .message(
              token.token()
                  + "\n(the token "
                  + token.name()
                  + ", "
                  + token.prefix()
                  + "...: copy it now, it is not shown again)",
              token);
      return Exit.OK;
    }

    @Command(name = "revoke", description = "Revoke a token at once.")
    int revoke(@Parameters(paramLabel = "ID") long id) {
      cli.tenants().revokeToken(id);
      cli.output().message("Revoked " + id, Map.of("revoked", id));
      return Exit.OK;
    }
  }

  /** One resource's limit, usage and overage. */
  record Resource(String resource, Object limit, Object used, Object over) {}

  /** A row per resource of the limits (a record of them), with its usage and overage. */
  static List<Resource> resources(Object limits, Object used, Map<String, Long> overages) {
    Map<String, Object> usage = Json.object(Json.tree(used));
    List<Resource> rows = new ArrayList<>();
    Json.object(Json.tree(limits))
        .forEach(
            (name, limit) ->
                rows.add(new Resource(name, limit, usage.get(name), overages.get(name))));
    return rows;
  }

  @Command(
      name = "quota",
      mixinStandardHelpOptions = true,
      description = "The tenant's quota: limits, usage and overages.",
      footerHeading = "%nExamples:%n",
      footer = {"  slipway-cli quota --tenant acme"})
  static final class Quota implements Callable<Integer> {
    private final Cli cli;
    @Mixin Target target;

    Quota(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      TenantServiceClient.QuotaView quota = cli.tenants().quota(target.tenant(cli));
      if (cli.output().format() == Output.Format.table) {
        cli.output()
            .list(
                resources(quota.limits(), quota.used(), quota.overages()),
                "resource",
                "limit",
                "used",
                "over");
      } else {
        cli.output().structured(quota);
      }
      return Exit.OK;
    }
  }

  @Command(
      name = "usage",
      mixinStandardHelpOptions = true,
      description = "The tenant's usage against its quota, with its projects'.",
      footerHeading = "%nExamples:%n",
      footer = {"  slipway-cli usage -o json"})
  static final class Usage implements Callable<Integer> {
    private final Cli cli;
    @Mixin Target target;

    Usage(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      TenantServiceClient.TenantUsage usage = cli.tenants().usage(target.tenant(cli));
      if (cli.output().format() == Output.Format.table) {
        List<Resource> rows = resources(usage.limits(), usage.used(), usage.overages());
        // storageMib by kind, under its total; the activations count is a row of its own already
        usage.measured().stream()
            .filter(m -> !m.key().equals("activations"))
            .forEach(
                m -> rows.add(new Resource("storageMib: " + m.key(), null, m.storageMib(), null)));
        cli.output().list(rows, "resource", "limit", "used", "over");
      } else {
        cli.output().structured(usage);
      }
      return Exit.OK;
    }
  }

  @Command(
      name = "open",
      mixinStandardHelpOptions = true,
      description =
          "Open the app's (or the project's, or tenant's) page of the portal in a browser.",
      footerHeading = "%nExamples:%n",
      footer = {"  slipway-cli open --app site", "  slipway-cli open --print"})
  static final class Open implements Callable<Integer> {
    private final Cli cli;
    @Mixin Target target;

    @Option(names = "--print", description = "Only print the URL")
    boolean print;

    Open(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      String tenant = target.tenant(cli);
      String path = Uris.path("/t/{}", tenant);
      try {
        path = Uris.path("/t/{}/p/{}", tenant, target.project(cli));
        path = Uris.path("/t/{}/p/{}/a/{}", tenant, target.project(cli), target.app(cli).app());
      } catch (Failure notGiven) {
        // the most specific page that the names given or stored lead to
      }
      String url = cli.servers().portalUrl() + path;
      cli.output().message(url, Map.of("url", url));
      if (!print && cli.terminal()) {
        try {
          new ProcessBuilder("xdg-open", url).inheritIO().start();
        } catch (java.io.IOException noBrowser) {
          cli.err().println("(no browser found: open the URL above)");
        }
      }
      return Exit.OK;
    }
  }

  @Command(
      name = "completion",
      mixinStandardHelpOptions = true,
      description = "Print the shell completion script for bash or zsh.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  source <(slipway-cli completion bash)",
        "  autoload -U +X bashcompinit && bashcompinit && source <(slipway-cli completion zsh)"
      })
  static final class Completion implements Callable<Integer> {
    private final Cli cli;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    String shell;

    Completion(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      if (!shell.equals("bash") && !shell.equals("zsh")) {
        throw new Failure(Exit.USAGE, "completion is for bash or zsh, not " + shell);
      }
      cli.out().print(AutoComplete.bash("slipway-cli", Main.commandLine(cli)));
      cli.out().flush();
      return Exit.OK;
    }
  }
}
