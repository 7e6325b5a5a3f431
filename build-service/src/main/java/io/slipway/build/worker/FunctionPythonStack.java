package io.slipway.build.worker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Python functions: a {@code handler.py} at the root defining {@code main(event)}. Built as the
 * python stack builds an app (a {@code requirements.txt} installed into a venv, from the python
 * stack's index), run by Slipway's function runtime instead of an app's own server; the build's
 * last step loads the handler, so one that does not compile or has no {@code main} fails the build,
 * not the deploy.
 *
 * @param entry the stack's image
 * @param indexUrl where pip installs from ({@code slipway.build.stacks.python.index-url})
 */
record FunctionPythonStack(StackProperties.FunctionPython entry, String indexUrl)
    implements FunctionStack {

  /** The runtime in the stack's image ({@code config/stacks/function-python/runtime.py}). */
  static final String RUNTIME = FunctionRuntime.DIR + "/runtime.py";

  @Override
  public String name() {
    return "function-python";
  }

  @Override
  public boolean enabled() {
    return !entry.image().isBlank();
  }

  @Override
  public boolean matches(Path source) {
    return SourceStack.hasAny(source, "handler.py");
  }

  @Override
  public String containerfile(Path source, Optional<String> web) throws IOException {
    return new PythonStack(new StackProperties.Python(entry.image(), indexUrl))
        .containerfile(
            source,
            FunctionRuntime.start("python", "python3", RUNTIME),
            FunctionRuntime.check("python3 " + RUNTIME));
  }

  @Override
  public String images() {
    return entry.image();
  }
}
