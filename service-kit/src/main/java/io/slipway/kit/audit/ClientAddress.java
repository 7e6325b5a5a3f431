package io.slipway.kit.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The address a change was asked from, for the audit trail. The portal calls the services for the
 * browser, so the peer is the portal; it passes the browser's address in {@code X-Forwarded-For}.
 * That header is believed only when both hold: the peer is a trusted proxy (as Tomcat's
 * RemoteIpValve trusts its internal proxies) <em>and</em> the request carries a user's token the
 * portal's client was issued (only the portal holds that client's secret, and the browser never
 * sees the token). Anyone else — a tenant calling a service directly, with the CLI's token or a
 * personal access token, from the same host or not — is recorded with its own peer address,
 * whatever header it sends.
 */
public final class ClientAddress {

  /** The header the portal forwards the browser's address in. */
  public static final String FORWARDED_FOR = "X-Forwarded-For";

  // dotted IPv4, or IPv6 (which always holds a colon): never a name InetAddress would look up
  private static final Pattern LITERAL =
      Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|(?=.*:)[0-9A-Fa-f:.]{2,45}");

  private final List<Network> trusted;
  private final String portalClient;

  public ClientAddress(AuditSettings settings) {
    this.trusted = settings.trustedProxies().stream().map(Network::of).toList();
    this.portalClient = settings.portalClient();
  }

  /** The source address of the request being handled, or null outside a request. */
  public String current(Jwt caller) {
    return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
        ? of(request.getRequest(), caller)
        : null;
  }

  /** The source address of {@code request} made with {@code caller}'s token (null: none). */
  public String of(HttpServletRequest request, Jwt caller) {
    return resolve(request.getRemoteAddr(), request.getHeader(FORWARDED_FOR), caller);
  }

  /**
   * The peer's address, or the last address of {@code forwardedFor} when the peer is the portal
   * calling with a token of its own client.
   */
  String resolve(String peer, String forwardedFor, Jwt caller) {
    if (forwardedFor == null || !fromPortal(peer, caller)) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    String client = hops[hops.length - 1].strip();
    return isLiteral(client) ? client : peer;
  }

  private boolean fromPortal(String peer, Jwt caller) {
    if (caller == null
        || !portalClient.equals(caller.getClaimAsString("azp"))
        || caller.getClaimAsString(AuditActor.TOKEN_KIND_CLAIM) != null
        || peer == null
        || !isLiteral(peer)) {
      return false;
    }
    InetAddress address = parse(peer);
    return trusted.stream().anyMatch(network -> network.contains(address));
  }

  /** An address, or a network in CIDR form ({@code 10.42.0.0/16}), whose peers are trusted. */
  private record Network(byte[] address, int prefix) {

    static Network of(String entry) {
      int slash = entry.indexOf('/');
      byte[] address = parse(slash < 0 ? entry : entry.substring(0, slash)).getAddress();
      int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(entry.substring(slash + 1));
      if (prefix < 0 || prefix > address.length * 8) {
        throw new IllegalArgumentException("not a network: " + entry);
      }
      return new Network(address, prefix);
    }

    boolean contains(InetAddress candidate) {
      byte[] bytes = candidate.getAddress();
      if (bytes.length != address.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((bytes[bit / 8] & mask) != (address[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Whether {@code entry} is an IP address literal or a network of one in CIDR form. */
  static boolean isNetwork(String entry) {
    int slash = entry == null ? -1 : entry.indexOf('/');
    if (slash < 0) {
      return isLiteral(entry);
    }
    try {
      Network.of(entry);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether {@code address} is an IP address literal (never a host name to look up). */
  static boolean isLiteral(String address) {
    if (address == null || !LITERAL.matcher(address).matches()) {
      return false;
    }
    try {
      parse(address);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static InetAddress parse(String literal) {
    if (!LITERAL.matcher(literal).matches()) {
      throw new IllegalArgumentException("not an IP address: " + literal);
    }
    try {
      // a literal of digits, dots and colons only: parsed, never resolved through DNS
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + literal, e);
    }
  }
}
