package io.slipway.runtime.podman;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListeningPortsTest {

  // as the kernel writes them: a listener on 0.0.0.0:8080, one on 127.0.0.1:9000, a connection
  // from 8080 (ESTABLISHED, 01) and one in TIME_WAIT (06) to port 3000
  private static final String TCP =
      """
        sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 65534        0 1 1
         1: 0100007F:2328 00000000:0000 0A 00000000:00000000 00:00000000 00000000 65534        0 2 1
         2: 0A590002:1F90 0A590001:D2F0 01 00000000:00000000 00:00000000 00000000 65534        0 0 1
         3: 0A590002:9C40 0A590001:0BB8 06 00000000:00000000 03:00001770 00000000     0        0 0 3
      """;

  // a listener on [::]:3000 and an established IPv6 connection from port 443
  private static final String TCP6 =
      """
        sl  local_address                         remote_address                        st
         0: 00000000000000000000000000000000:0BB8 00000000000000000000000000000000:0000 0A 0
         1: 0000000000000000FFFF00000A590002:01BB 0000000000000000FFFF00000A590001:C000 01 0
      """;

  @Test
  void readsOnlyListeningSocketsOfBothTables() {
    assertThat(ListeningPorts.parse(TCP + TCP6)).containsExactly(3000, 8080, 9000);
  }

  @Test
  void anEmptyTableOrGarbageListensNowhere() {
    assertThat(ListeningPorts.parse("")).isEmpty();
    assertThat(ListeningPorts.parse("  sl  local_address rem_address   st\n")).isEmpty();
    assertThat(ListeningPorts.parse(" 0: 00000000:ZZZZ 00000000:0000 0A\n0A 0A 0A 0A")).isEmpty();
  }
}
