package io.slipway.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code src/dist/build-runtime} runs once, in one JVM, to list the classes of the runtime's
 * class-data archive: the kinds of run a user makes. {@code --help} alone (the earlier training)
 * left out everything a command that calls a service loads (the JDK's HTTP client and sockets, the
 * CLI's API classes: 160 classes read and verified at every such run); here a login is refused by a
 * closed port, which loads them without a server.
 */
final class ArchiveTraining {

  private ArchiveTraining() {}

  /** {@code args[0]}: an empty scratch directory for the configuration (nothing is stored). */
  public static void main(String[] args) {
    Path scratch = Path.of(args[0]);
    Map<String, String> environment =
        Map.of(
            "XDG_CONFIG_HOME", scratch.toString(),
            "HOME", scratch.toString(),
            "SLIPWAY_TENANT_URL", "http://127.0.0.1:9");
    PrintWriter none = new PrintWriter(Writer.nullWriter());
    Terminal.ofProcess();
    for (List<String> line :
        List.of(
            List.of("--version"),
            List.of("--help"),
            List.of("login", "--token", "slp_training"),
            List.of("apps", "list", "-t", "training", "-p", "training", "-o", "json"))) {
      Main.run(
          line.toArray(String[]::new),
          environment,
          scratch,
          InputStream.nullInputStream(),
          none,
          none,
          Terminal.NONE);
    }
  }
}
