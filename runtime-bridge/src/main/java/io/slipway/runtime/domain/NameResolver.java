package io.slipway.runtime.domain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into the addresses the HTTP check may connect to. The seam exists so a test can
 * point a domain at the local router without touching {@code /etc/hosts}; the platform uses {@link
 * #SYSTEM}.
 */
@FunctionalInterface
public interface NameResolver {

  /** Every address of {@code host}; {@link UnknownHostException} when it has none. */
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /** The system's resolver. */
  NameResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
}
