package io.slipway.runtime.podman;

import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The TCP ports in the LISTEN state of a network namespace, read from the kernel's socket tables
 * ({@code /proc/<pid>/net/tcp} and {@code tcp6}, whose lines are {@code sl local_address
 * rem_address st ...} with the port in hexadecimal after the address and the state {@code 0A} for
 * LISTEN).
 */
final class ListeningPorts {

  private static final String LISTEN = "0A";

  private ListeningPorts() {}

  /**
   * The listening ports of one or more tables' text; lines that are not socket lines are skipped.
   */
  static SortedSet<Integer> parse(String table) {
    SortedSet<Integer> ports = new TreeSet<>();
    for (String line : table.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length < 4 || !fields[0].endsWith(":") || !LISTEN.equals(fields[3])) {
        continue;
      }
      int colon = fields[1].lastIndexOf(':');
      if (colon < 0) {
        continue;
      }
      try {
        ports.add(Integer.parseInt(fields[1].substring(colon + 1), 16));
      } catch (NumberFormatException e) {
        // not a socket line
      }
    }
    return ports;
  }
}
