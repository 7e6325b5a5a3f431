package io.slipway.runtime.driver;

/**
 * One running (or exited) instance of a revision.
 *
 * @param name the runtime's name for it (container or pod name)
 * @param running whether it runs
 * @param address {@code host:port} the router can reach it at, or null when the runtime routes
 *     itself (Kubernetes Services) or it does not run
 * @param exitCode the exit code once it has exited, else null
 */
public record Instance(String name, boolean running, String address, Integer exitCode) {}
