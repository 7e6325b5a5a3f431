package io.slipway.build.hook;

import io.slipway.build.egress.PublicAddresses;
import io.slipway.kit.problem.Problem;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * A forge's API URL as a developer sets it: hostile input, since build-service calls it. Checked
 * when set (syntax, scheme, no credentials, fragment or query, at most {@value #MAX_LENGTH}
 * characters, and where its host resolves) and again at each send, when the address checked is the
 * one connected to: a second lookup could answer otherwise (DNS rebinding).
 */
@Component
class ForgeUrl {

  static final int MAX_LENGTH = 500;

  private final CommitStatusProperties properties;
  private final PublicAddresses addresses;

  @Autowired
  ForgeUrl(CommitStatusProperties properties) {
    this(properties, new PublicAddresses("slipway.build.commit-status.allowed-hosts"));
  }

  ForgeUrl(CommitStatusProperties properties, PublicAddresses addresses) {
    this.properties = properties;
    this.addresses = addresses;
  }

  /**
   * The URL, without a trailing slash, once it may be set.
   *
   * @throws Problem 400 {@code bad-api-url} naming what is wrong
   */
  URI parse(String text) {
    if (text == null || text.isBlank()) {
      throw bad("apiUrl is required, e.g. https://api.github.com");
    }
    if (text.length() > MAX_LENGTH) {
      throw bad("apiUrl is longer than " + MAX_LENGTH + " characters");
    }
    if (text.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      throw bad("apiUrl holds a space or a control character");
    }
    URI uri;
    try {
      uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    } catch (URISyntaxException e) {
      throw bad("apiUrl is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!scheme.equals("https") && !(scheme.equals("http") && properties.allowHttp())) {
      throw bad(
          "apiUrl must be an https URL"
              + (scheme.equals("http")
                  ? ": this platform does not allow http (slipway.build.commit-status.allow-http)"
                  : ""));
    }
    if (uri.getRawUserInfo() != null) {
      throw bad("apiUrl must not hold credentials: the token goes in the token field");
    }
    if (uri.getRawFragment() != null || uri.getRawQuery() != null) {
      throw bad("apiUrl must not have a query or a fragment");
    }
    if (uri.getHost() == null) {
      throw bad("apiUrl has no host");
    }
    address(uri)
        .ifPresent(
            refusal -> {
              throw bad(refusal);
            });
    return uri;
  }

  /**
   * Where to connect for this URL: its host resolved once and every address checked.
   *
   * @return the address to connect to, or why none may be
   */
  Resolved resolve(URI uri) {
    String host = host(uri);
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      return new Resolved(null, "the host " + host + " does not resolve");
    }
    if (!properties.allows(host, port(uri))) {
      for (InetAddress address : all) {
        Optional<String> refusal = addresses.refusal(address);
        if (refusal.isPresent()) {
          return new Resolved(
              null,
              "the host "
                  + host
                  + " resolves to "
                  + address.getHostAddress()
                  + ", which "
                  + refusal.get()
                  + " (slipway.build.commit-status.allowed-hosts)");
        }
      }
    }
    return new Resolved(all[0], null);
  }

  /** An address to connect to, or the reason ({@code refusal}) there is none. */
  record Resolved(InetAddress address, String refusal) {}

  private Optional<String> address(URI uri) {
    return Optional.ofNullable(resolve(uri).refusal()).map(reason -> "apiUrl refused: " + reason);
  }

  /** The host without an IPv6 literal's brackets. */
  static String host(URI uri) {
    String host = uri.getHost();
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
  }

  private static Problem bad(String detail) {
    return Problem.badRequest("bad-api-url", detail);
  }
}
