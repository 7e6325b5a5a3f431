package io.slipway.build.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An address range, {@code 10.0.0.0/8} or {@code fc00::/7}. Only address literals are parsed, never
 * names: {@link #parse} never resolves anything.
 *
 * @param network the range's first address, its host bits zero
 * @param prefix how many leading bits every address of the range shares with it
 */
record Cidr(InetAddress network, int prefix) {

  Cidr {
    int bits = network.getAddress().length * 8;
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException(
          "a prefix length of " + prefix + " does not fit a " + bits + "-bit address");
    }
    byte[] masked = mask(network.getAddress(), prefix);
    if (!Arrays.equals(masked, network.getAddress())) {
      throw new IllegalArgumentException(
          network.getHostAddress() + "/" + prefix + " has bits set after its prefix");
    }
  }

  /** {@code <address>/<prefix>}, or a single address (the whole address is the prefix). */
  static Cidr parse(String text) {
    String trimmed = text.strip();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    if (!address.matches("[0-9a-fA-F:.]+") || (!address.contains(":") && !address.contains("."))) {
      throw new IllegalArgumentException(text + " is not an address range like 10.1.0.0/16");
    }
    InetAddress network;
    try {
      // a literal: getByName resolves nothing for one
      network = InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(text + " is not an address range like 10.1.0.0/16", e);
    }
    int prefix;
    try {
      prefix =
          slash < 0
              ? network.getAddress().length * 8
              : Integer.parseInt(trimmed.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(text + " has no prefix length after its '/'", e);
    }
    return new Cidr(network, prefix);
  }

  /** Whether the address is in this range (an IPv4 address is never in an IPv6 range). */
  boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == network.getAddress().length
        && Arrays.equals(mask(bytes, prefix), network.getAddress());
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] masked = address.clone();
    for (int i = 0; i < masked.length; i++) {
      int bits = Math.clamp(prefix - i * 8L, 0, 8);
      masked[i] = (byte) (masked[i] & (0xff00 >> bits));
    }
    return masked;
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefix;
  }
}
