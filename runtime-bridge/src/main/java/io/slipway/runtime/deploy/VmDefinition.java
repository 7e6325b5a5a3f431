package io.slipway.runtime.deploy;

import io.slipway.runtime.vm.VmSpec;
import java.util.Objects;

/**
 * An app's VM as the API makes it: what the driver runs ({@link VmSpec}) and what the router sends
 * the app's hosts to. The HTTP port is the bridge's business, not the driver's: QEMU exposes every
 * port alike, and only the app's route singles one out.
 *
 * @param spec what runs
 * @param httpPort the exposed port the app's hosts route to while the guest is up, one of {@code
 *     spec.ports()}; null for none (the hosts then answer the router's page saying the VM serves no
 *     web pages, rather than guessing which of its ports speaks HTTP)
 */
record VmDefinition(VmSpec spec, Integer httpPort) {

  VmDefinition {
    Objects.requireNonNull(spec, "spec");
    if (httpPort != null && !spec.ports().contains(httpPort)) {
      throw new IllegalArgumentException(
          "httpPort " + httpPort + " is not one of the VM's ports " + spec.ports());
    }
  }
}
