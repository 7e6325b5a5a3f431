package io.slipway.cli;

import io.slipway.cli.api.AppRef;
import io.slipway.cli.api.generated.RuntimeBridgeClient;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** domains: an app's custom domains and the proof that they are the user's. */
final class DomainCommands {

  private DomainCommands() {}

  private static final String[] CLAIM = {"domain", "state", "httpUrl", "txtName", "token"};

  @Command(
      name = "domains",
      mixinStandardHelpOptions = true,
      description = {
        "An app's custom domains. A domain added is pending, and not routed, until you prove it is"
            + " yours: point its DNS at the platform's router (which then answers the HTTP URL"
            + " shown with the token), or add the TXT record shown holding the token; then verify.",
        "A domain not proven yet exits with 2 and says why; one another app verified first, 7."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  slipway-cli domains add shop.example.com",
        "  slipway-cli domains verify shop.example.com",
        "  slipway-cli domains list -o json",
        "  slipway-cli domains remove shop.example.com"
      })
  static final class Domains {
    private final Cli cli;

    Domains(Cli cli) {
      this.cli = cli;
    }

    @Command(name = "list", description = "The app's domains, their state and the last failure.")
    int list(@Mixin Target target) {
      cli.output().list(cli.runtime().domains(target.app(cli)), "domain", "state", "failure");
      return Exit.OK;
    }

    @Command(name = "add", description = "Claim a domain: pending, with how to prove it.")
    int add(@Mixin Target target, @Parameters(paramLabel = "DOMAIN") String domain) {
      RuntimeBridgeClient.DomainView claim = cli.runtime().addDomain(target.app(cli), domain);
      cli.output().one(claim, CLAIM);
      return Exit.OK;
    }

    @Command(name = "verify", description = "Check the proof; routed once verified.")
    int verify(@Mixin Target target, @Parameters(paramLabel = "DOMAIN") String domain) {
      RuntimeBridgeClient.DomainView verified =
          cli.runtime().verifyDomain(target.app(cli), name(domain));
      cli.output().one(verified, "domain", "state", "verifiedAt");
      return Exit.OK;
    }

    @Command(name = "remove", description = "Give up a domain: no longer routed to the app.")
    int remove(@Mixin Target target, @Parameters(paramLabel = "DOMAIN") String domain) {
      AppRef app = target.app(cli);
      String name = name(domain);
      cli.runtime().removeDomain(app, name);
      cli.output().message("Removed domain " + name, Map.of("removed", name));
      return Exit.OK;
    }

    /** As the bridge keeps it: lower-cased, without the root's dot. */
    private static String name(String domain) {
      String name = domain.strip().toLowerCase(Locale.ROOT);
      return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
  }
}
