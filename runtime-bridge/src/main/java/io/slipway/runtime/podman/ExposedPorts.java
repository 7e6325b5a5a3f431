package io.slipway.runtime.podman;

import java.util.SortedSet;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The TCP ports an image's configuration exposes: the keys of its {@code ExposedPorts}, {@code
 * {"3000/tcp": {}, "53/udp": {}}}, as {@code EXPOSE} wrote them.
 */
final class ExposedPorts {

  private ExposedPorts() {}

  /** The TCP ports of an image's {@code Config} (a port without a protocol is TCP). */
  static SortedSet<Integer> of(JsonNode config) {
    SortedSet<Integer> ports = new TreeSet<>();
    for (String exposed : config.path("ExposedPorts").propertyNames()) {
      String[] portAndProtocol = exposed.split("/", 2);
      if (portAndProtocol.length == 1 || portAndProtocol[1].equalsIgnoreCase("tcp")) {
        try {
          ports.add(Integer.parseInt(portAndProtocol[0]));
        } catch (NumberFormatException e) {
          // a range or a variable EXPOSE left as written: no port to take
        }
      }
    }
    return ports;
  }
}
