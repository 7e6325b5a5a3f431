package io.slipway.cli;

import io.slipway.cli.api.ApiException;
import io.slipway.cli.api.Http;
import io.slipway.cli.api.TenantApi;
import io.slipway.cli.api.Uris;
import io.slipway.cli.api.generated.TenantServiceClient;
import io.slipway.cli.auth.Credentials;
import io.slipway.cli.auth.Oidc;
import io.slipway.cli.auth.Servers;
import io.slipway.cli.auth.Session;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** login, logout, whoami. */
final class AuthCommands {

  private AuthCommands() {}

  @Command(
      name = "login",
      mixinStandardHelpOptions = true,
      description = {
        "Log in with the identity provider's device flow: open the URL shown, enter the code,"
            + " and sign in in the browser (no password is typed here).",
        "In scripts, --token logs in with a personal access token (slp_...) or an access token."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  slipway-cli login",
        "  slipway-cli login --token \"$SLIPWAY_TOKEN\"",
        "  slipway-cli login --tenant-url https://api.example.com --issuer https://id.example.com/realms/slipway"
      })
  static final class Login implements Callable<Integer> {
    private final Cli cli;

    @Option(names = "--token", description = "A personal access token or access token to use")
    String token;

    @Option(names = "--tenant-url", description = "tenant-service's URL")
    String tenantUrl;

    @Option(names = "--build-url", description = "build-service's URL")
    String buildUrl;

    @Option(names = "--runtime-url", description = "runtime-bridge's URL")
    String runtimeUrl;

    @Option(names = "--portal-url", description = "The portal's URL (for open)")
    String portalUrl;

    @Option(names = "--issuer", description = "The identity provider's issuer URL")
    String issuer;

    Login(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() throws InterruptedException {
      Servers known = cli.servers();
      Servers servers =
          new Servers(
              or(tenantUrl, known.tenantUrl()),
              or(buildUrl, known.buildUrl()),
              or(runtimeUrl, known.runtimeUrl()),
              or(portalUrl, known.portalUrl()),
              or(issuer, known.issuer()),
              known.clientId());
      Credentials credentials;
      if (token != null) {
        Object exp = Oidc.claim(token, "exp");
        credentials =
            new Credentials(
                "token",
                (String) Oidc.claim(token, "preferred_username"),
                token.strip(),
                null,
                exp instanceof Number n ? n.longValue() : 0,
                null);
      } else {
        Oidc oidc = new Oidc(servers);
        Oidc.DeviceAuthorization device = oidc.start();
        cli.err()
            .println(
                "To log in, open "
                    + device.verificationUri()
                    + " and enter the code "
                    + device.userCode());
        if (device.verificationUriComplete() != null) {
          cli.err().println("or open " + device.verificationUriComplete());
        }
        cli.err().println("Waiting for the browser...");
        cli.err().flush();
        Oidc.Tokens tokens = oidc.await(device, d -> Thread.sleep(d.toMillis()));
        credentials =
            new Credentials(
                "oidc",
                (String) Oidc.claim(tokens.accessToken(), "preferred_username"),
                tokens.accessToken(),
                tokens.refreshToken(),
                tokens.expiresAt(),
                null);
      }
      // checked before anything is stored: a refused login or a wrong URL leaves the earlier
      // login and servers as they were
      String checked = credentials.accessToken();
      try {
        new TenantApi(new Http("tenant-service", servers.tenantUrl(), () -> checked)).tenants();
      } catch (ApiException e) {
        if (e.status() != 401) {
          throw e;
        }
        throw new ApiException(
            401,
            "login-refused",
            "tenant-service refused the "
                + (token != null ? "token (it may be revoked, expired or unknown)" : "login")
                + ": "
                + e.getMessage());
      }
      cli.store().write(Servers.FILE, servers);
      new Session(cli.store(), servers).save(credentials);
      cli.output().message("Logged in as " + who(credentials), new Whoami.Identity(credentials));
      return Exit.OK;
    }
  }

  @Command(
      name = "logout",
      mixinStandardHelpOptions = true,
      description = "Forget the stored credentials (and end the identity provider's session).",
      footerHeading = "%nExamples:%n",
      footer = {"  slipway-cli logout"})
  static final class Logout implements Callable<Integer> {
    private final Cli cli;

    Logout(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      var stored = cli.store().read(Credentials.FILE, Credentials.class);
      if (stored.isPresent() && stored.get().oidc() && stored.get().refreshToken() != null) {
        Servers servers = cli.servers();
        try {
          new Http("the identity provider", servers.issuer(), () -> null)
              .postForm(
                  "/protocol/openid-connect/logout",
                  "client_id="
                      + Uris.form(servers.clientId())
                      + "&refresh_token="
                      + Uris.form(stored.get().refreshToken()));
        } catch (ApiException unreachable) {
          // the credentials are forgotten anyway; the session ends when it idles out
        }
      }
      cli.store().delete(Credentials.FILE);
      cli.output().message("Logged out", java.util.Map.of("loggedIn", false));
      return Exit.OK;
    }
  }

  @Command(
      name = "whoami",
      mixinStandardHelpOptions = true,
      description = "Who the stored credentials are, checked with tenant-service.",
      footerHeading = "%nExamples:%n",
      footer = {"  slipway-cli whoami", "  slipway-cli whoami -o json"})
  static final class Whoami implements Callable<Integer> {
    private final Cli cli;

    record Identity(String username, String kind, List<String> tenants) {
      Identity(Credentials c) {
        this(c.username(), c.kind(), List.of());
      }
    }

    Whoami(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      List<String> tenants =
          cli.tenants().tenants().stream().map(TenantServiceClient.TenantView::name).toList();
      Credentials c = cli.session().credentials();
      Identity identity = new Identity(c.username(), c.kind(), tenants);
      cli.output().one(identity, "username", "kind", "tenants");
      return Exit.OK;
    }
  }

  static String who(Credentials c) {
    if (c.username() != null) {
      return c.username();
    }
    String t = c.accessToken();
    return "the token " + (t.length() > 12 ? t.substring(0, 12) + "..." : "given");
  }

  private static String or(String given, String known) {
    return given != null ? given : known;
  }
}
