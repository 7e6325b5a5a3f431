package io.slipway.cli;

import io.slipway.cli.api.BuildApi;
import io.slipway.cli.api.Http;
import io.slipway.cli.api.RuntimeApi;
import io.slipway.cli.api.TenantApi;
import io.slipway.cli.auth.Servers;
import io.slipway.cli.auth.Session;
import io.slipway.cli.auth.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every command works with: the process's environment, working directory and streams (given,
 * not read from globals, so that tests run commands in-process), the stored files, the session and
 * the services' clients, and the output format chosen.
 */
final class Cli {

  private final Map<String, String> environment;
  private final Path workingDirectory;
  private final java.io.InputStream in;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Terminal terminal;
  private final Store store;
  private Output.Format format = Output.Format.table;
  private Servers servers;
  private Session session;
  private Optional<String[]> gitRemote;

  Cli(
      Map<String, String> environment,
      Path workingDirectory,
      java.io.InputStream in,
      PrintWriter out,
      PrintWriter err,
      Terminal terminal) {
    this.environment = environment;
    this.workingDirectory = workingDirectory;
    this.in = in;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
    this.store = new Store(Store.directoryFrom(environment));
  }

  Map<String, String> environment() {
    return environment;
  }

  Path workingDirectory() {
    return workingDirectory;
  }

  java.io.InputStream in() {
    return in;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  /** Colors only on a terminal, and never when {@code NO_COLOR} is set (no-color.org). */
  boolean color() {
    return terminal.output() && !environment.containsKey("NO_COLOR");
  }

  /** Is standard output a terminal? */
  boolean terminal() {
    return terminal.output();
  }

  /** The terminal, for reading what is typed without echo. */
  Terminal console() {
    return terminal;
  }

  /** The working directory's Slipway git remote, read by {@code read} once per run. */
  Optional<String[]> gitRemote(Supplier<Optional<String[]>> read) {
    if (gitRemote == null) {
      gitRemote = read.get();
    }
    return gitRemote;
  }

  Store store() {
    return store;
  }

  void format(Output.Format format) {
    this.format = format;
  }

  Output output() {
    return new Output(out, format, color(), terminal.output());
  }

  /** The servers stored at login, else the defaults (environment, then the local stack). */
  Servers servers() {
    if (servers == null) {
      servers = store.read(Servers.FILE, Servers.class).orElse(Servers.defaults(environment));
    }
    return servers;
  }

  Session session() {
    if (session == null) {
      session = new Session(store, servers());
    }
    return session;
  }

  TenantApi tenants() {
    return new TenantApi(new Http("tenant-service", servers().tenantUrl(), session()));
  }

  BuildApi builds() {
    return new BuildApi(new Http("build-service", servers().buildUrl(), session()));
  }

  RuntimeApi runtime() {
    return new RuntimeApi(new Http("runtime-bridge", servers().runtimeUrl(), session()));
  }
}
