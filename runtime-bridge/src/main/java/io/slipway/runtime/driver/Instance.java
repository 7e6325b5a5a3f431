package io.slipway.runtime.driver;

/**
 * One running (or exited) instance of a revision.
 *
 * @param name the runtime's name for it (container or pod name)
 * @param running whether it runs (has not exited)
 * @param address {@code host:port} the router can reach it at, or null when it does not run
 * @param exitCode the exit code once it has exited, else null
 * @param ready whether the runtime itself found it healthy (Kubernetes readiness), or null when the
 *     runtime does not check health and the bridge probes {@code address} itself (Podman)
 */
public record Instance(
    String name, boolean running, String address, Integer exitCode, Boolean ready) {

  /** An instance whose health the bridge probes. */
  public Instance(String name, boolean running, String address, Integer exitCode) {
    this(name, running, address, exitCode, null);
  }
}
