package io.slipway.build.worker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Node.js functions: a {@code handler.js} at the root exporting the handler ({@code module.exports
 * = async (event) => result} or {@code exports.main}). Built as the node stack builds an app (a
 * {@code package.json}'s dependencies installed on the builder), run by Slipway's function runtime
 * instead of an app's own server; the build's last step loads the handler, so one that does not
 * compile or export a function fails the build, not the deploy.
 */
record FunctionNodeStack(StackProperties.FunctionNode entry) implements FunctionStack {

  /** The runtime in the stack's runtime image ({@code config/stacks/function-node/runtime.js}). */
  static final String RUNTIME = FunctionRuntime.DIR + "/runtime.js";

  @Override
  public String name() {
    return "function-node";
  }

  @Override
  public boolean enabled() {
    return !entry.builderImage().isBlank() && !entry.runtimeImage().isBlank();
  }

  @Override
  public boolean matches(Path source) {
    return SourceStack.hasAny(source, "handler.js");
  }

  @Override
  public String containerfile(Path source, Optional<String> web) {
    return new NodeStack(new StackProperties.Node(entry.builderImage(), entry.runtimeImage()))
        .containerfile(
            source,
            FunctionRuntime.start("node", "node", RUNTIME),
            FunctionRuntime.check("node " + RUNTIME));
  }

  @Override
  public List<String> notes(Path source) throws IOException {
    return SourceStack.hasAny(source, "handler.py")
        ? List.of("handler.py: not used; handler.js makes this repository a Node.js function")
        : List.of();
  }

  @Override
  public String images() {
    return entry.builderImage() + " (build), " + entry.runtimeImage() + " (run)";
  }
}
