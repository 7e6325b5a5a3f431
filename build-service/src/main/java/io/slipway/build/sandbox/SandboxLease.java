package io.slipway.build.sandbox;

import java.util.List;

/**
 * The container one build runs in: its tenant's warm builder, lent to it alone until it ends
 * ({@link WarmBuilders}), or a container of its own ({@code podman run --rm}).
 *
 * @param run the build, in that container
 * @param tenant the tenant's id
 * @param warm whether the container is a warm builder (the build runs in it with {@code podman
 *     exec})
 */
public record SandboxLease(SandboxRun run, String tenant, boolean warm) {

  /** The build's command line: no shell, no interpolation. */
  public List<String> arguments() {
    return warm ? run.execArguments() : run.arguments();
  }
}
